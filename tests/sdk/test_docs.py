"""The SDK section of README.md (between the sdk:start/sdk:end markers) is executed against
the real server, so its examples never go stale: every ```python block runs,
in order, in one namespace; every ``$ kindshield ...`` line of a ```console
block runs as a subprocess and must exit 0, except a ``--fail-on-toxic`` check
on a toxic text, which must exit 1 (a check that found something)."""
from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
from sdk_stub import tiny_png

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def sdk_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("<!-- sdk:start -->", 1)[1].split("<!-- sdk:end -->", 1)[0]


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(sdk_section()) if lang == language]


def test_the_document_has_examples():
    assert len(blocks("python")) >= 8
    assert len(blocks("console")) >= 1


def test_python_examples_run(sdk_server, new_key, monkeypatch):
    monkeypatch.setenv("KINDSHIELD_URL", sdk_server.base_url)
    monkeypatch.setenv("KINDSHIELD_API_KEY", new_key("docs"))
    import kindshield

    with kindshield.Client(sdk_server.base_url, sdk_server.admin_key) as admin:
        platform_key = admin.admin.keys.create("docs-platform", scopes=["platform"]).key
    monkeypatch.setenv("KINDSHIELD_PLATFORM_KEY", platform_key)
    monkeypatch.delenv("KINDSHIELD_TIMEOUT", raising=False)
    namespace: dict = {"__name__": "docs_sdk"}
    out = io.StringIO()
    for number, code in enumerate(blocks("python"), start=1):
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"README SDK python block {number}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message says which block
            pytest.fail(f"python block {number} of the README SDK section failed: {type(exc).__name__}: {exc}\n{code}")
    printed = out.getvalue()
    assert "True" in printed and "401 unauthorized" in printed
    assert "deliver" in printed and ("fold" in printed or "block" in printed)
    # the platform examples (one key, many users), sync and async, ran to their end
    assert namespace["decision"].action in ("fold", "block")          # alice's toxic comment
    assert namespace["result"].decisions[0].action == "deliver"       # the asyncio example's DM
    assert isinstance(namespace["platform"], kindshield.Client)
    assert namespace["bounded"].deadline == 10.0


def test_the_install_commands_name_the_two_distributions():
    """The SDK section's install lines build from packaging/sdk (kindshield) and
    packaging/server (kindshield-server); tests/sdk/test_wheels.py installs both wheels."""
    import tomllib

    bash = "\n".join(body for lang, body in BLOCK.findall(sdk_section()) if lang == "bash")
    repo = README.parent
    for folder, name in (("packaging/sdk", "kindshield"), ("packaging/server", "kindshield-server")):
        assert f"pip install ./{folder}" in bash
        project = tomllib.loads((repo / folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        assert project["name"] == name
    assert '"./packaging/sdk[async]"' in bash


def test_console_examples_run(cli, new_key, tmp_path):
    key = new_key("docs-cli")
    (tmp_path / "comments.txt").write_text("great post!\n你真是个废物\n", encoding="utf-8")
    (tmp_path / "shot.png").write_bytes(tiny_png())
    lines = [line[2:] for block in blocks("console") for line in block.splitlines() if line.startswith("$ ")]
    assert lines
    for line in lines:
        argv = shlex.split(line)
        assert argv[0] == "kindshield"
        proc = cli(*argv[1:], key=key, cwd=str(tmp_path))
        expected = 1 if "--fail-on-toxic" in argv else 0   # the README's --fail-on-toxic example is toxic
        assert proc.returncode == expected, f"{line}: exit {proc.returncode}\n{proc.err}"
        assert "Traceback" not in proc.err, f"{line}\n{proc.err}"

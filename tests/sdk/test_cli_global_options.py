"""Connection options before or after the subcommand, against the real server.

The environment names an unreachable server and a wrong key, so a command succeeds only if the
options given on the command line are the ones used (they override the environment)."""
from __future__ import annotations

import json

import pytest

WRONG_ENV = {"KINDSHIELD_URL": "http://127.0.0.1:1", "KINDSHIELD_API_KEY": "ks_wrong"}


@pytest.mark.parametrize("where", ["before", "after"])
def test_url_and_key_are_honoured_before_or_after_the_subcommand(cli, sdk_server, sdk_key, where):
    options = ["--url", sdk_server.base_url, "--api-key", sdk_key, "--timeout", "60", "--max-retries", "0"]
    argv = [*options, "analyze", "thank you", "--json"] if where == "before" else \
        ["analyze", "thank you", "--json", *options]
    proc = cli(*argv, env=WRONG_ENV)
    assert proc.returncode == 0, proc.err
    assert json.loads(proc.out)["results"][0]["toxic"] is False


def test_the_environment_is_used_when_no_option_is_given(cli):
    proc = cli("analyze", "thank you", env=WRONG_ENV)
    assert proc.returncode == 5, proc.err
    assert "127.0.0.1:1" in proc.err


def test_report_file_names_the_server_with_server_or_before_the_command(cli, sdk_server, new_key):
    key = new_key("cli-global-report")
    before = cli("--url", sdk_server.base_url, "--api-key", key, "report", "file", "--text", "you idiot",
                 "--url", "https://example.com/post/1", "--json", env=WRONG_ENV)
    assert before.returncode == 0, before.err
    after = cli("report", "file", "--text", "you idiot", "--url", "https://example.com/post/2",
                "--server", sdk_server.base_url, "--api-key", key, "--json", env=WRONG_ENV)
    assert after.returncode == 0, after.err
    listed = cli("report", "list", "--json", "--server", sdk_server.base_url, "--api-key", key, env=WRONG_ENV)
    urls = sorted(r["url"] for r in json.loads(listed.out))
    assert urls == ["https://example.com/post/1", "https://example.com/post/2"]


def test_json_errors_are_json_on_stderr(cli, sdk_server):
    proc = cli("--json", "--url", sdk_server.base_url, "--api-key", "ks_wrong", "stats", env=WRONG_ENV)
    assert proc.returncode == 4
    error = json.loads(proc.err)
    assert error["status"] == 401 and error["code"]


def test_a_dash_reads_the_texts_from_stdin(cli):
    proc = cli("analyze", "-", "--json", input="thank you\nyou are a stupid idiot and a loser\n")
    assert proc.returncode == 0, proc.err
    assert [r["toxic"] for r in json.loads(proc.out)["results"]] == [False, True]

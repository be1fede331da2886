"""The ``kindshield`` command line, run as a subprocess against the real
server (``KINDSHIELD_URL`` / ``KINDSHIELD_API_KEY`` in its environment), plus
a few in-process checks that need no server."""
from __future__ import annotations

import csv
import io
import json
import socket

import pytest
from sdk_stub import tiny_png

from kindshield import cli as kcli

HOSTILE_EN = "you are a stupid idiot and a loser"
HOSTILE_ZH = "你真是个废物，蠢货"
KIND_EN = "thank you, have a lovely day"
KIND_ZH = "谢谢你，祝你今天愉快"


# ---------------------------------------------------------------- analyze


def test_analyze_prints_a_table_with_chinese_aligned(cli):
    proc = cli("analyze", KIND_EN, HOSTILE_ZH, KIND_ZH)
    assert proc.returncode == 0, proc.err
    lines = proc.out.splitlines()
    assert lines[0].split() == ["#", "TOXIC", "SCORE", "SEVERITY", "LANG", "LABELS", "TEXT"]
    assert HOSTILE_ZH in proc.out and KIND_ZH in proc.out
    rows = lines[1:4]
    # The TEXT column starts at the same display column on every row.
    starts = [kcli.display_width(row[:row.index(text)]) for row, text in zip(rows, (KIND_EN, HOSTILE_ZH, KIND_ZH))]
    assert len(set(starts)) == 1
    assert rows[1].split()[1] == "yes" and rows[0].split()[1] == "no"
    assert lines[-1].startswith("3 texts · 1 toxic")


def test_analyze_json_and_fail_on_toxic(cli):
    proc = cli("analyze", "--json", HOSTILE_EN, KIND_ZH)
    assert proc.returncode == 0, proc.err
    data = json.loads(proc.out)
    assert [r["text"] for r in data["results"]] == [HOSTILE_EN, KIND_ZH]
    assert [r["toxic"] for r in data["results"]] == [True, False]
    assert data["model"]["name"]
    assert KIND_ZH in proc.out  # not \\u-escaped

    assert cli("analyze", "--fail-on-toxic", KIND_EN).returncode == kcli.EXIT_OK
    assert cli("analyze", "--fail-on-toxic", KIND_EN, HOSTILE_EN).returncode == kcli.EXIT_CHECK_FAILED


def test_analyze_from_a_file_and_from_stdin(cli, tmp_path):
    path = tmp_path / "comments.txt"
    path.write_text(f"{KIND_EN}\n\n{HOSTILE_ZH}\n", encoding="utf-8")
    proc = cli("analyze", "-f", str(path), "--json")
    assert proc.returncode == 0, proc.err
    results = json.loads(proc.out)["results"]
    assert [(r["line"], r["text"], r["toxic"]) for r in results] == [(1, KIND_EN, False), (3, HOSTILE_ZH, True)]

    proc = cli("analyze", input=f"\ufeff{HOSTILE_EN}\n{KIND_ZH}\n")
    assert proc.returncode == 0, proc.err
    assert "2 texts · 1 toxic" in proc.out

    proc = cli("analyze", "-f", "-", "--fail-on-toxic", input=HOSTILE_ZH)
    assert proc.returncode == kcli.EXIT_CHECK_FAILED


def test_a_large_file_is_split_with_a_progress_bar(cli, tmp_path):
    lines = [f"{(KIND_EN, HOSTILE_EN, KIND_ZH)[i % 3]} {i}" for i in range(600)]
    path = tmp_path / "big.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = cli("analyze", "-f", str(path), "--json", "--progress")
    assert proc.returncode == 0, proc.err
    results = json.loads(proc.out)["results"]
    assert [r["text"] for r in results] == lines
    assert [r["line"] for r in results] == list(range(1, 601))
    assert sum(r["toxic"] for r in results) == 200
    assert "600/600 texts 100%" in proc.err and "256/600" in proc.err and "512/600" in proc.err
    assert cli("analyze", "-f", str(path), "--no-progress").err == ""


def test_chinese_prints_even_when_the_output_encoding_is_ascii(cli):
    proc = cli("analyze", HOSTILE_ZH, env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"})
    assert proc.returncode == 0, proc.err
    assert HOSTILE_ZH in proc.out


def test_explain_marks_the_words(cli):
    proc = cli("analyze", "--explain", "你真是个废物")
    assert proc.returncode == 0, proc.err
    assert "[[" in proc.out and "]]" in proc.out


def test_terminal_control_characters_are_neutralised(cli):
    proc = cli("analyze", "hello \x1b[31mred\x1b[0m\tthere")
    assert proc.returncode == 0, proc.err
    assert "\x1b" not in proc.out and "\\x1b[31mred" in proc.out


# ---------------------------------------------------------------- exit codes


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli("analyze").returncode == kcli.EXIT_USAGE  # no text, empty stdin
    assert cli("analyze", "-f", str(tmp_path / "missing.txt")).returncode == kcli.EXIT_USAGE
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9\n".encode("latin-1"))
    proc = cli("analyze", "-f", str(bad))
    assert proc.returncode == kcli.EXIT_USAGE and "UTF-8" in proc.err
    assert cli("protect", "on", "--hours", "5").returncode == kcli.EXIT_USAGE
    assert cli("frobnicate").returncode == kcli.EXIT_USAGE


def test_auth_errors_exit_4(cli):
    proc = cli("analyze", "hello", key="ks_wrong")
    assert proc.returncode == kcli.EXIT_AUTH
    assert "unauthorized" in proc.err and "KINDSHIELD_API_KEY" in proc.err
    assert cli("stats", "--scope", "instance").returncode == kcli.EXIT_AUTH


def test_server_rejections_exit_3(cli):
    proc = cli("report", "get", "no-such-report")
    assert proc.returncode == kcli.EXIT_API_ERROR and "not_found" in proc.err and "request id" in proc.err
    proc = cli("analyze", "x" * 20_001)
    assert proc.returncode == kcli.EXIT_USAGE  # caught before sending


def test_an_unreachable_server_exits_5(cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = cli("--max-retries", "0", "stats", env={"KINDSHIELD_URL": f"http://127.0.0.1:{port}"})
    assert proc.returncode == kcli.EXIT_CONNECTION
    assert "could not reach" in proc.err and "is the server running" in proc.err


def test_help_lists_the_exit_codes():
    parser = kcli.build_parser()
    text = parser.format_help()
    for code in kcli.EXIT_CODES:
        assert f"  {code} " in text


# ---------------------------------------------------------------- other commands


def test_protect_on_status_off(cli, new_key):
    key = new_key("cli-protect")
    proc = cli("protect", "status", key=key)
    assert proc.returncode == 0, proc.err
    assert "One-click protection: off" in proc.out and "Sensitivity:      standard" in proc.out

    proc = cli("protect", "on", "--hours", "24", key=key)
    assert proc.returncode == 0, proc.err
    assert "One-click protection is on until" in proc.out

    proc = cli("protect", "status", "--json", key=key)
    data = json.loads(proc.out)
    assert data["lockdown_active"] is True and data["lockdown"]["duration_hours"] == 24

    assert "ON until" in cli("protect", "status", key=key).out
    proc = cli("protect", "set", "--comments", "followers", "--reclaim", "queer", key=key)
    assert proc.returncode == 0 and "Who may comment:  followers" in proc.out and "queer" in proc.out
    assert "Hide swearing:    no" in proc.out
    proc = cli("protect", "set", "--hide-swearing", key=key)
    assert proc.returncode == 0 and "Hide swearing:    yes" in proc.out and "Who may comment:  followers" in proc.out
    proc = cli("protect", "set", "--show-swearing", "--json", key=key)
    assert proc.returncode == 0 and json.loads(proc.out)["settings"]["hide_swearing"] is False

    proc = cli("protect", "off", key=key)
    assert proc.returncode == 0 and "is off" in proc.out
    proc = cli("protect", "off", key=key)
    assert proc.returncode == 0 and "was not on" in proc.out

    proc = cli("notices", key=key)
    assert proc.returncode == 0 and "lockdown_recap" in proc.out
    notices = json.loads(cli("notices", "--json", key=key).out)
    recap = next(n for n in notices if n["type"] == "lockdown_recap")
    proc = cli("notices", "--ack", recap["id"], "--unread", key=key)
    assert proc.returncode == 0 and recap["id"] not in proc.out
    assert "一键防护" in cli("notices", key=key, env={"LANG": "zh_CN.UTF-8"}).out


def test_report_file_list_export_verify(cli, new_key, tmp_path):
    key = new_key("cli-reports")
    shot = tmp_path / "shot.png"
    shot.write_bytes(tiny_png())
    proc = cli("report", "file", "--text", HOSTILE_ZH, "--url", "https://example.com/p/9", "--author", "@x",
               "--screenshot", str(shot), "--json", key=key)
    assert proc.returncode == 0, proc.err
    receipt = json.loads(proc.out)
    assert receipt["status"] == "filed" and len(receipt["sha256"]) == 64

    proc = cli("report", "file", "--text", HOSTILE_EN, key=key)
    assert proc.returncode == 0 and proc.out.startswith("Filed report ")

    proc = cli("report", "list", key=key)
    assert proc.returncode == 0 and receipt["id"] in proc.out and HOSTILE_ZH in proc.out

    proc = cli("report", "get", receipt["id"], "--save-screenshot", str(tmp_path / "back.png"), key=key)
    assert proc.returncode == 0 and "https://example.com/p/9" in proc.out
    assert (tmp_path / "back.png").read_bytes() == tiny_png()

    assert cli("report", "status", receipt["id"], "resolved", key=key).returncode == 0
    assert cli("report", "status", receipt["id"], "sent_to_platform", key=key).returncode == kcli.EXIT_API_ERROR

    proc = cli("report", "export", "--format", "csv", key=key)
    assert proc.returncode == 0, proc.err
    rows = list(csv.DictReader(io.StringIO(proc.out)))
    assert rows[0]["id"] == receipt["id"] and rows[0]["what"] == HOSTILE_ZH and rows[0]["status"] == "resolved"
    out = tmp_path / "reports.csv"
    assert cli("report", "export", "--format", "csv", "-o", str(out), key=key).returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    assert json.loads(cli("report", "export", key=key).out)["reports"][1]["what"] == HOSTILE_EN

    proc = cli("report", "verify", key=key)
    assert proc.returncode == 0 and "Report chain OK: 3 records checked." in proc.out


def test_report_file_rerun_with_its_idempotency_key_files_once(cli, new_key):
    key = new_key("cli-idempotent")
    args = ("report", "file", "--text", HOSTILE_EN, "--idempotency-key", "mail-4711")
    first = cli(*args, key=key)
    assert first.returncode == 0 and first.out.startswith("Filed report "), first.err
    again = cli(*args, key=key)                       # a script rerun after a crash
    assert again.returncode == 0 and again.out.startswith("Already filed (same idempotency key): report ")
    rid = first.out.split()[2]
    assert rid in again.out
    other = cli("report", "file", "--text", HOSTILE_ZH, "--idempotency-key", "mail-4711", key=key)
    assert other.returncode == kcli.EXIT_API_ERROR and "idempotency_key_reused" in other.err
    moved = [cli("report", "status", rid, "resolved", "--idempotency-key", "close-4711", key=key) for _ in range(2)]
    assert [p.returncode for p in moved] == [0, 0]    # the rerun is answered, not a 409
    listed = json.loads(cli("report", "list", "--json", key=key).out)
    assert [r["id"] for r in listed] == [rid]


def test_stats_and_health(cli, new_key, sdk_server):
    key = new_key("cli-stats")
    assert cli("analyze", HOSTILE_EN, KIND_EN, key=key).returncode == 0
    proc = cli("stats", "--days", "7", key=key)
    assert proc.returncode == 0, proc.err
    total = next(line for line in proc.out.splitlines() if line.startswith("TOTAL"))
    assert total.split()[1] == "2" and total.split()[2] == "1"  # analysed, flagged
    data = json.loads(cli("stats", "--days", "3", "--json", key=key).out)
    assert len(data["days"]) == 3 and data["totals"]["analysed"] == 2
    assert cli("stats", "--days", "0", key=key).returncode == kcli.EXIT_USAGE
    assert cli("stats", key=sdk_server.admin_key).out.rstrip().endswith("(instance)")

    proc = cli("health")
    assert proc.returncode == 0 and "ready: yes" in proc.out


def test_precheck_command(cli):
    proc = cli("precheck", HOSTILE_ZH)
    assert proc.returncode == 0 and proc.out.startswith("nudge: ") and "nudge id:" in proc.out
    assert any("\u4e00" <= ch <= "\u9fff" for ch in proc.out.splitlines()[0])
    assert cli("precheck", KIND_EN).out.startswith("no nudge")


# ---------------------------------------------------------------- output helpers (no server)


@pytest.mark.parametrize("text, width", [("abc", 3), ("中文", 4), ("a中b", 4), ("e\u0301", 1)])
def test_display_width(text, width):
    assert kcli.display_width(text) == width


def test_truncate_respects_double_width_characters():
    assert kcli.truncate("中文中文中文", 7) == "中文中…"
    assert kcli.display_width(kcli.truncate("中文中文中文", 7)) <= 7
    assert kcli.truncate("short", 10) == "short"

"""The ``kindshield`` command line.

::

    kindshield analyze "you are wonderful" "你真是个废物"
    kindshield analyze -f comments.txt --json > scores.json
    cat comments.txt | kindshield analyze --fail-on-toxic
    kindshield protect on --hours 24 | off | status
    kindshield notices [--ack ID]
    kindshield report file --text "..." --url https://... [--screenshot shot.png]
    kindshield report list | get ID | export --format csv | verify
    kindshield stats [--days 30]
    kindshield offenders [--status flagged|reviewed|cleared|all] | lookup SENDER_ID | review ID --outcome warned
    kindshield health

The server and key come from ``--url`` / ``--api-key`` or the environment
(``KINDSHIELD_URL``, ``KINDSHIELD_API_KEY``).

Exit codes (:data:`EXIT_CODES`):

===  ============================================================
0    success
1    the check asked for failed: ``analyze --fail-on-toxic`` found a toxic
     text, ``report verify`` found a broken chain, ``health`` not ready
2    usage error: bad arguments, no input, unreadable file
3    the server rejected the request or failed (4xx other than 401/403, 5xx)
4    authentication or permission error (401, 403)
5    could not reach the server, or it did not answer in time
130  interrupted (Ctrl-C)
===  ============================================================
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import unicodedata
from datetime import datetime, timezone
from typing import IO, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from . import _constants as C
from ._client import Client
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    KindshieldError,
    NotFoundError,
    PermissionDeniedError,
)
from ._types import Analysis, AnalysisResult, ModelInfo

__all__ = [
    "main",
    "EXIT_OK",
    "EXIT_CHECK_FAILED",
    "EXIT_USAGE",
    "EXIT_API_ERROR",
    "EXIT_AUTH",
    "EXIT_CONNECTION",
    "EXIT_INTERRUPTED",
    "EXIT_CODES",
]

#: Success.
EXIT_OK = 0
#: The check asked for failed (toxic text with ``--fail-on-toxic``, broken
#: report chain, server not ready).
EXIT_CHECK_FAILED = 1
#: Bad arguments or unusable input.
EXIT_USAGE = 2
#: The server rejected the request or failed.
EXIT_API_ERROR = 3
#: Authentication or permission error.
EXIT_AUTH = 4
#: Could not connect, or timed out.
EXIT_CONNECTION = 5
#: Interrupted by the user.
EXIT_INTERRUPTED = 130

#: Every exit code and its meaning.
EXIT_CODES: Dict[int, str] = {
    EXIT_OK: "success",
    EXIT_CHECK_FAILED: "check failed (toxic text with --fail-on-toxic, broken report chain, server not ready)",
    EXIT_USAGE: "usage error (bad arguments, no input, unreadable file)",
    EXIT_API_ERROR: "the server rejected the request or failed",
    EXIT_AUTH: "authentication or permission error",
    EXIT_CONNECTION: "could not reach the server, or it did not answer in time",
    EXIT_INTERRUPTED: "interrupted",
}

#: Inputs with more texts than this get a progress bar on stderr (when
#: stderr is a terminal, or with ``--progress``).
PROGRESS_THRESHOLD = C.MAX_BATCH_SIZE


class UsageError(Exception):
    """A problem with the command line or its input (exit code 2)."""


# ---------------------------------------------------------------- text output


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(_char_width(ch) for ch in text)


def clean(text: str) -> str:
    """One line, safe to print: newlines and tabs become spaces and other
    control characters (terminal escape sequences included) are shown as
    ``\\xNN``, so a hostile text cannot move the cursor or recolour the
    terminal."""
    out = []
    for ch in text:
        if ch in "\r\n\t\v\f":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in ("\u200d",):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` columns, ending in ``…`` if cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad ``text`` with spaces to ``width`` columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], *, right: Iterable[int] = (),
          stretch: Optional[int] = None, out: Optional[IO[str]] = None) -> None:
    """Print an aligned table; column ``stretch`` (usually free text) is cut
    to fit the terminal."""
    out = out or sys.stdout
    right = set(right)
    cells = [[clean(str(c)) for c in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    if stretch is not None:
        columns = shutil.get_terminal_size((120, 24)).columns
        fixed = sum(w for i, w in enumerate(widths) if i != stretch) + 2 * (len(widths) - 1)
        widths[stretch] = max(display_width(headers[stretch]), min(widths[stretch], columns - fixed))
        for row in cells:
            row[stretch] = truncate(row[stretch], widths[stretch])
    last = len(headers) - 1

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            if i == last and i not in right:
                parts.append(value)
            else:
                parts.append(pad(value, widths[i], i in right))
        return "  ".join(parts).rstrip()

    out.write(line(list(headers)) + "\n")
    for row in cells:
        out.write(line(row) + "\n")


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fmt_time(value: Optional[datetime]) -> str:
    if value is None:
        return "-"
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _fmt_left(seconds: Optional[int]) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    return f"{hours} h {rest // 60} min left"


class Progress:
    """A dependency-free progress bar on stderr (``\\r``-redrawn)."""

    def __init__(self, total: int, enabled: bool, stream: Optional[IO[str]] = None, label: str = "analysing") -> None:
        self.total = max(1, total)
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.label = label
        self.done = 0

    def update(self, done: int) -> None:
        """Redraw with ``done`` items finished."""
        self.done = done
        if not self.enabled:
            return
        width = 30
        filled = int(width * done / self.total)
        percent = int(100 * done / self.total)
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total} texts {percent:3d}%")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------- input


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{where} is not UTF-8 text (byte {exc.start})") from None


def _lines(text: str, first_line: int = 1) -> List[Tuple[int, str]]:
    out = []
    for number, line in enumerate(text.splitlines(), start=first_line):
        if line.strip():
            out.append((number, line))
    return out


def _read_inputs(args: argparse.Namespace) -> Tuple[List[int], List[str]]:
    """(line numbers or positions, texts) from arguments, ``-f`` or stdin."""
    pairs: List[Tuple[int, str]] = []
    if args.texts:
        pairs.extend((i, t) for i, t in enumerate(args.texts, start=1))
    if args.file:
        if args.file == "-":
            pairs.extend(_lines(_decode(sys.stdin.buffer.read(), "standard input")))
        else:
            try:
                with open(args.file, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
            pairs.extend(_lines(_decode(data, args.file)))
    if not args.texts and not args.file:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no text given: pass texts as arguments, -f FILE, or pipe one text per line")
        pairs.extend(_lines(_decode(sys.stdin.buffer.read(), "standard input")))
    if not pairs:
        raise UsageError("no text to analyse (the input was empty)")
    for where, text in pairs:
        if len(text) > C.MAX_TEXT_CHARS:
            raise UsageError(f"text {where} is longer than {C.MAX_TEXT_CHARS} characters")
    return [p[0] for p in pairs], [p[1] for p in pairs]


# ---------------------------------------------------------------- commands


def _client(args: argparse.Namespace) -> Client:
    return Client(
        base_url=args.url, api_key=args.api_key, timeout=args.timeout, max_retries=args.max_retries
    )


def _marked(result: AnalysisResult) -> str:
    """The text with its spans in ``[[...]]``."""
    text = result.text
    spans = sorted((s.start, s.end) for s in result.spans if 0 <= s.start < s.end <= len(text))
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append("[[" + text[start:end] + "]]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def cmd_analyze(args: argparse.Namespace) -> int:
    """``kindshield analyze``."""
    where, texts = _read_inputs(args)
    show = args.progress if args.progress is not None else (
        len(texts) > PROGRESS_THRESHOLD and sys.stderr is not None and sys.stderr.isatty()
    )
    progress = Progress(len(texts), show)
    results: List[AnalysisResult] = []
    model: Optional[ModelInfo] = None
    with _client(args) as client:
        progress.update(0)
        try:
            for start in range(0, len(texts), C.MAX_BATCH_SIZE):
                part = client.analyze(texts[start:start + C.MAX_BATCH_SIZE], lang=args.lang, explain=args.explain)
                results.extend(part.results)
                model = model or part.model
                progress.update(len(results))
        finally:
            progress.close()
    analysis = Analysis(results=tuple(results), model=model or ModelInfo("", ""))
    if args.json:
        data = analysis.to_dict()
        if args.file:
            for number, item in zip(where, data["results"]):
                item["line"] = number
        _print_json(data)
    else:
        rows = []
        for number, r in zip(where, analysis):
            labels = ",".join(name for name in r.labels.above(0.5) if name != "toxic") or "-"
            rows.append([
                str(number), "yes" if r.toxic else "no", f"{r.score:.2f}", r.severity, r.language or "-",
                labels, _marked(r) if args.explain else r.text,
            ])
        table(rows, ["#" if not args.file else "LINE", "TOXIC", "SCORE", "SEVERITY", "LANG", "LABELS", "TEXT"],
              right=(0, 2), stretch=6)
        toxic = len(analysis.toxic_results)
        model_text = f" · model {analysis.model.name} {analysis.model.version}".rstrip() if analysis.model.name else ""
        sys.stdout.write(f"{len(analysis)} text{'s' if len(analysis) != 1 else ''} · {toxic} toxic{model_text}\n")
    if args.fail_on_toxic and analysis.any_toxic:
        return EXIT_CHECK_FAILED
    return EXIT_OK


def cmd_precheck(args: argparse.Namespace) -> int:
    """``kindshield precheck``."""
    with _client(args) as client:
        result = client.precheck(args.text, lang=args.lang)
    if args.json:
        _print_json(result.to_dict())
    elif result.nudge:
        sys.stdout.write(f"nudge: {clean(result.message or '')}\n")
        sys.stdout.write(f"nudge id: {result.nudge_id}\n")
    else:
        sys.stdout.write("no nudge: fine to post\n")
    return EXIT_OK


def _print_protection(p: Any) -> None:
    lockdown = p.lockdown
    if p.active and lockdown is not None:
        sys.stdout.write(
            f"One-click protection: ON until {_fmt_time(lockdown.until)} ({_fmt_left(lockdown.remaining_seconds)})\n"
        )
    else:
        sys.stdout.write("One-click protection: off\n")
    s = p.settings
    sys.stdout.write(f"Who may comment:  {s.who_may_comment}\n")
    sys.stdout.write(f"Who may message:  {s.who_may_message}\n")
    sys.stdout.write(f"Sensitivity:      {s.sensitivity}\n")
    sys.stdout.write(f"Allowed senders:  {len(s.allow_senders)}\n")
    sys.stdout.write(f"Reclaimed terms:  {', '.join(clean(t) for t in s.reclaimed_terms) or '-'}\n")


def cmd_protect(args: argparse.Namespace) -> int:
    """``kindshield protect on|off|status|set``."""
    with _client(args) as client:
        if args.action == "on":
            protection = client.protection.one_click(hours=args.hours)
            if args.json:
                _print_json(protection.to_dict())
            else:
                sys.stdout.write(f"One-click protection is on until {_fmt_time(protection.until)}.\n")
            return EXIT_OK
        if args.action == "off":
            try:
                protection = client.protection.end()
            except NotFoundError:
                protection = client.protection.get()
                if not args.json:
                    sys.stdout.write("One-click protection was not on.\n")
                    return EXIT_OK
            if args.json:
                _print_json(protection.to_dict())
            else:
                sys.stdout.write("One-click protection is off.\n")
            return EXIT_OK
        if args.action == "set":
            protection = client.protection.update(
                who_may_comment=args.comments, who_may_message=args.messages, sensitivity=args.sensitivity,
                allow_senders=args.allow_sender, reclaimed_terms=args.reclaim,
            )
        else:
            protection = client.protection.get()
    if args.json:
        _print_json(protection.to_dict())
    else:
        _print_protection(protection)
    return EXIT_OK


def _prefers_chinese() -> bool:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.lower().startswith("zh")
    return False


def cmd_notices(args: argparse.Namespace) -> int:
    """``kindshield notices``."""
    with _client(args) as client:
        for notice_id in args.ack or ():
            client.notices.ack(notice_id)
        notices = client.notices.list(unacked_only=args.unread)
    if args.json:
        _print_json([n.to_dict() for n in notices])
        return EXIT_OK
    if not notices:
        sys.stdout.write("No notices.\n")
        return EXIT_OK
    zh = _prefers_chinese()
    rows = [
        [n.id, _fmt_time(n.created_at), n.type, "yes" if n.acked else "no",
         (n.message_zh if zh and n.message_zh else n.message) or n.title or ""]
        for n in notices
    ]
    table(rows, ["ID", "WHEN", "TYPE", "READ", "MESSAGE"], stretch=4)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """``kindshield report file|list|get|export|verify|status``."""
    with _client(args) as client:
        if args.action == "file":
            try:
                receipt = client.reports.file(
                    text=args.text, url=args.url_seen, author=args.author, platform=args.platform,
                    seen_at=args.seen_at,
                    context=args.context, category=args.category, note=args.note, screenshot=args.screenshot,
                )
            except (OSError, ValueError) as exc:
                raise UsageError(f"screenshot: {getattr(exc, 'strerror', None) or exc}") from None
            if args.json:
                _print_json(receipt.to_dict())
            else:
                sys.stdout.write(f"Filed report {receipt.id} at {_fmt_time(receipt.received_at)}\n")
                sys.stdout.write(f"sha256: {receipt.sha256}\n")
            return EXIT_OK
        if args.action == "list":
            reports = client.reports.list()
            if args.json:
                _print_json([r.to_dict() for r in reports])
            elif not reports:
                sys.stdout.write("No reports.\n")
            else:
                rows = [[r.id, _fmt_time(r.received_at), r.status or "-", r.category or "-", r.author or "-",
                         r.text or ""] for r in reports]
                table(rows, ["ID", "RECEIVED", "STATUS", "CATEGORY", "AUTHOR", "TEXT"], stretch=5)
            return EXIT_OK
        if args.action == "get":
            report = client.reports.get(args.id)
            if args.save_screenshot and report.screenshot:
                with open(args.save_screenshot, "wb") as handle:
                    handle.write(report.screenshot)
            if args.json:
                _print_json(report.to_dict())
            else:
                for label, value in (
                    ("id", report.id), ("status", report.status), ("received", _fmt_time(report.received_at)),
                    ("seen", _fmt_time(report.seen_at) if report.seen_at else None), ("url", report.url),
                    ("author", report.author), ("category", report.category), ("text", report.text),
                    ("context", report.context), ("note", report.note), ("sha256", report.sha256),
                    ("screenshot", f"{len(report.screenshot)} bytes" if report.screenshot else None),
                ):
                    if value:
                        sys.stdout.write(f"{label + ':':<12}{clean(str(value))}\n")
            return EXIT_OK
        if args.action == "status":
            report = client.reports.update_status(args.id, args.status, note=args.note)
            if args.json:
                _print_json(report.to_dict())
            else:
                sys.stdout.write(f"Report {report.id} is now {report.status}.\n")
            return EXIT_OK
        if args.action == "export":
            document = client.reports.export(format=args.format)
            if args.output and args.output != "-":
                # CSV files get a byte order mark so spreadsheet programs read UTF-8.
                encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
                with open(args.output, "w", encoding=encoding, newline="") as handle:
                    handle.write(document)
            else:
                sys.stdout.write(document)
                if document and not document.endswith("\n"):
                    sys.stdout.write("\n")
            return EXIT_OK
        # verify
        result = client.reports.verify()
    if args.json:
        _print_json(result.to_dict())
    elif result.ok:
        sys.stdout.write(f"Report chain OK: {result.checked} record{'s' if result.checked != 1 else ''} checked.\n")
    else:
        where = f" (record #{result.first_bad_seq})" if result.first_bad_seq else ""
        why = f": {result.reason}" if result.reason else ""
        sys.stdout.write(f"Report chain BROKEN at {result.first_bad}{where}{why}\n")
    return EXIT_OK if result.ok else EXIT_CHECK_FAILED


_STAT_COLUMNS = (
    ("analysed", "ANALYSED"), ("flagged", "FLAGGED"), ("folded", "FOLDED"), ("blocked", "BLOCKED"),
    ("nudges_shown", "NUDGES"), ("nudges_heeded", "HEEDED"), ("notices", "NOTICES"),
    ("lockdowns", "LOCKDOWNS"), ("reports", "REPORTS"),
)


def cmd_stats(args: argparse.Namespace) -> int:
    """``kindshield stats``."""
    with _client(args) as client:
        stats = client.stats(days=args.days, scope=args.scope)
    if args.json:
        _print_json(stats.to_dict())
        return EXIT_OK
    rows = [[d.date.isoformat()] + [str(d[key]) for key, _ in _STAT_COLUMNS]
            for d in stats.days if args.all_days or any(d.counts.values())]
    rows.append(["TOTAL"] + [str(stats.total(key)) for key, _ in _STAT_COLUMNS])
    table(rows, ["DAY"] + [title for _, title in _STAT_COLUMNS], right=range(1, len(_STAT_COLUMNS) + 1))
    scope = f" ({stats.scope})" if stats.scope else ""
    sys.stdout.write(f"last {args.days} day{'s' if args.days != 1 else ''}{scope}\n")
    return EXIT_OK


def _print_offenders(offenders: Sequence[Any]) -> None:
    if not offenders:
        sys.stdout.write("No senders.\n")
        return
    rows = [[o.id, o.status, str(o.recipients), str(o.hostile_items), o.max_severity,
             ", ".join(f"{k} {v}" for k, v in o.labels.items()), _fmt_time(o.last_seen),
             o.reviews[0].outcome if o.reviews else ""]
            for o in offenders]
    table(rows, ["ID", "STATUS", "RECIPIENTS", "ITEMS", "SEVERITY", "LABELS", "LAST SEEN", "REVIEW"],
          right=(2, 3))


def cmd_offenders(args: argparse.Namespace) -> int:
    """``kindshield offenders [--status S] | lookup SENDER_ID | review ID --outcome O`` (admin key)."""
    with _client(args) as client:
        if args.action == "lookup":
            offenders = [client.admin.offenders.lookup(args.sender_id, days=args.days)]
        elif args.action == "review":
            result = client.admin.offenders.review(args.id, args.outcome, note=args.note)
            if args.json:
                _print_json(result.to_dict())
            else:
                sys.stdout.write(f"recorded {result.review.outcome} for {result.offender.id} "
                                 f"(status: {result.offender.status})\n")
            return EXIT_OK
        else:
            offenders = client.admin.offenders.list(status=args.status, days=args.days, limit=args.limit)
    if args.json:
        _print_json(offenders[0].to_dict() if args.action == "lookup" else [o.to_dict() for o in offenders])
        return EXIT_OK
    _print_offenders(offenders)
    return EXIT_OK


def cmd_health(args: argparse.Namespace) -> int:
    """``kindshield health``."""
    with _client(args) as client:
        health = client.health()
    if args.json:
        _print_json(health.to_dict())
    else:
        sys.stdout.write(f"alive: {'yes' if health.alive else 'no'}\nready: {'yes' if health.ready else 'no'}\n")
    return EXIT_OK if health.ok else EXIT_CHECK_FAILED


# ---------------------------------------------------------------- parser


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return number


def _days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= 365:
        raise argparse.ArgumentTypeError("must be between 1 and 365")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    # Options every command takes, before or after its name. (`report file`
    # uses --url for where the content was seen, so there the server address
    # must come before the command or from the environment.)
    def connection_options(with_url: bool) -> argparse.ArgumentParser:
        options = argparse.ArgumentParser(add_help=False)
        group = options.add_argument_group("connection")
        if with_url:
            group.add_argument("--url", default=argparse.SUPPRESS, metavar="URL",
                               help=f"server address (default: ${C.ENV_BASE_URL} or {C.DEFAULT_BASE_URL})")
        group.add_argument("--api-key", default=argparse.SUPPRESS, metavar="KEY",
                           help=f"API key (default: ${C.ENV_API_KEY})")
        group.add_argument("--timeout", type=_positive_float, default=argparse.SUPPRESS, metavar="SECONDS",
                           help=f"read timeout (default: ${C.ENV_TIMEOUT} or {C.DEFAULT_READ_TIMEOUT:g})")
        group.add_argument("--max-retries", type=int, default=argparse.SUPPRESS, metavar="N",
                           help=f"retries on connection errors, 429 and 502/503/504 "
                                f"(default: {C.DEFAULT_MAX_RETRIES})")
        return options

    common = connection_options(True)
    common_no_url = connection_options(False)
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                         help="print JSON instead of a table")

    epilog = "exit codes:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items())
    parser = argparse.ArgumentParser(
        prog="kindshield", parents=[common],
        description="Kindshield command line: analyse text, manage protection, notices and reports.",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(url=None, api_key=None, timeout=None, max_retries=C.DEFAULT_MAX_RETRIES, json=False)
    parser.add_argument("--version", action="version", version=f"kindshield {C.VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("analyze", aliases=["analyse"], parents=[common, as_json],
                       help="score texts for toxicity",
                       description="Score texts: given as arguments, one per line in -f FILE, or on stdin.",
                       epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("texts", nargs="*", metavar="TEXT", help="texts to analyse")
    p.add_argument("-f", "--file", metavar="FILE", help="read one text per line from FILE ('-' for stdin)")
    p.add_argument("--lang", choices=("auto", "en", "zh"), default="auto", help="language (default: auto)")
    p.add_argument("--explain", action="store_true", help="mark the words that drove each score")
    p.add_argument("--fail-on-toxic", action="store_true",
                   help=f"exit with {EXIT_CHECK_FAILED} if any text is toxic")
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="always show the progress bar (stderr)")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="never show the progress bar")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("precheck", parents=[common, as_json], help="check a text before posting it")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--lang", choices=("auto", "en", "zh"), default="auto")
    p.set_defaults(func=cmd_precheck)

    p = sub.add_parser("protect", parents=[common], help="one-click protection and settings")
    psub = p.add_subparsers(dest="action", metavar="ACTION")
    psub.required = True
    q = psub.add_parser("on", parents=[common, as_json], help="turn on one-click protection")
    q.add_argument("--hours", type=int, choices=C.ONE_CLICK_HOURS, default=72,
                   help="how long (default: 72)")
    psub.add_parser("off", parents=[common, as_json], help="end one-click protection now")
    psub.add_parser("status", parents=[common, as_json], help="show protection and settings")
    q = psub.add_parser("set", parents=[common, as_json], help="change settings")
    audiences = ("everyone", "followers", "mutuals", "contacts", "nobody")
    q.add_argument("--comments", choices=audiences, help="who may comment")
    q.add_argument("--messages", choices=audiences, help="who may message")
    q.add_argument("--sensitivity", choices=("relaxed", "standard", "strict"))
    q.add_argument("--allow-sender", action="append", metavar="ID",
                   help="always deliver this sender (repeat; replaces the list)")
    q.add_argument("--reclaim", action="append", metavar="TERM",
                   help="a term you reclaim (repeat; replaces the list)")
    p.set_defaults(func=cmd_protect)

    p = sub.add_parser("notices", parents=[common, as_json], help="list risk notices")
    p.add_argument("--ack", action="append", metavar="ID", help="acknowledge this notice first (repeatable)")
    p.add_argument("--unread", action="store_true", help="only notices not yet acknowledged")
    p.set_defaults(func=cmd_notices)

    p = sub.add_parser("report", parents=[common], help="reports with evidence")
    rsub = p.add_subparsers(dest="action", metavar="ACTION")
    rsub.required = True
    q = rsub.add_parser("file", parents=[common_no_url, as_json], help="file a report")
    q.add_argument("--text", required=True, help="the abusive content")
    q.add_argument("--url", dest="url_seen", metavar="URL", default=None, help="where it was seen")
    q.add_argument("--author", help="the author's handle")
    q.add_argument("--platform", help="the platform, e.g. weibo")
    q.add_argument("--seen-at", metavar="TIME", help="when you saw it (ISO 8601)")
    q.add_argument("--context", help="surrounding context")
    q.add_argument("--category", help="harassment (default), hate, threat, sexual_harassment, doxxing, "
                                      "impersonation, spam, self_harm or other")
    q.add_argument("--note", help="a note for yourself or the platform")
    q.add_argument("--screenshot", metavar="PNG", help="a PNG screenshot (at most 5 MB)")
    q = rsub.add_parser("list", parents=[common, as_json], help="list your reports")
    q = rsub.add_parser("get", parents=[common, as_json], help="show one report")
    q.add_argument("id", metavar="ID")
    q.add_argument("--save-screenshot", metavar="PATH", help="write the screenshot to PATH")
    q = rsub.add_parser("status", parents=[common, as_json], help="move a report forward")
    q.add_argument("id", metavar="ID")
    q.add_argument("status", choices=("sent_to_platform", "resolved"))
    q.add_argument("--note", help="a note recorded with the change")
    q = rsub.add_parser("export", parents=[common], help="export all reports (JSON or CSV)")
    q.add_argument("--format", choices=("json", "csv"), default="json")
    q.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    rsub.add_parser("verify", parents=[common, as_json], help="verify the report hash chain")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("stats", parents=[common, as_json], help="per-day counts")
    p.add_argument("--days", type=_days, default=C.DEFAULT_STATS_DAYS, help="days to cover (default: 30)")
    p.add_argument("--all-days", action="store_true", help="also list days with nothing to count")
    p.add_argument("--scope", choices=("user", "instance"), help="instance-wide figures need an admin key")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("offenders", parents=[common, as_json],
                       help="repeat offenders: list, look up by sender id, record a review (admin key)")
    p.add_argument("--status", choices=("flagged", "reviewed", "cleared", "all"), default="flagged",
                   help="which senders to list (default: flagged)")
    p.add_argument("--days", type=_days, default=30, help="period of the counts (default: 30)")
    p.add_argument("--limit", type=int, default=100, help="at most this many (default: 100)")
    p.set_defaults(func=cmd_offenders, action=None)
    osub = p.add_subparsers(dest="action", metavar="ACTION")
    q = osub.add_parser("lookup", parents=[common, as_json], help="a sender's record by the platform's raw id")
    q.add_argument("sender_id", metavar="SENDER_ID")
    q = osub.add_parser("review", parents=[common, as_json], help="record what you decided about a sender")
    q.add_argument("id", metavar="ID", help="the offender id (pseudonym) from the list")
    q.add_argument("--outcome", required=True, choices=("no_action", "warned", "muted", "suspended"))
    q.add_argument("--note", help="a note kept with the review")

    p = sub.add_parser("health", parents=[common, as_json], help="is the server alive and ready?")
    p.set_defaults(func=cmd_health)
    return parser


# ---------------------------------------------------------------- entry point


def _ensure_unicode_output() -> None:
    """Make sure Chinese (and any other) text can be printed: a stream whose
    encoding cannot encode it (ASCII, Latin-1) is switched to UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "中文…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure: Optional[Callable[..., None]] = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(encoding="utf-8", errors="replace")


def _describe(error: KindshieldError, args: argparse.Namespace) -> str:
    if isinstance(error, APIError):
        text = f"{error.message} (HTTP {error.status} {error.code}"
        if error.request_id:
            text += f", request id {error.request_id}"
        text += ")"
        fields = error.details.get("fields") if isinstance(error.details, dict) else None
        if fields:
            text += f"\n  details: {json.dumps(fields, ensure_ascii=False)}"
        if isinstance(error, AuthenticationError):
            text += f"\n  hint: pass --api-key or set {C.ENV_API_KEY}"
        if error.retry_after is not None and error.status in (429, 503):
            text += f"\n  retry after {error.retry_after:g} s"
        return text
    if isinstance(error, APIConnectionError):
        url = args.url or os.environ.get(C.ENV_BASE_URL) or C.DEFAULT_BASE_URL
        hint = "" if isinstance(error, APITimeoutError) else (
            f"\n  hint: is the server running at {url}? (--url or ${C.ENV_BASE_URL})")
        return f"{error.message}{hint}"
    return error.message


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code (see :data:`EXIT_CODES`)."""
    _ensure_unicode_output()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help / --version (0) or usage error (2)
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        sys.stderr.write(f"kindshield: error: {exc}\n")
        return EXIT_USAGE
    except (AuthenticationError, PermissionDeniedError) as exc:
        sys.stderr.write(f"kindshield: error: {_describe(exc, args)}\n")
        return EXIT_AUTH
    except APIError as exc:
        sys.stderr.write(f"kindshield: error: {_describe(exc, args)}\n")
        return EXIT_API_ERROR
    except APIConnectionError as exc:
        sys.stderr.write(f"kindshield: error: {_describe(exc, args)}\n")
        return EXIT_CONNECTION
    except KindshieldError as exc:
        sys.stderr.write(f"kindshield: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("\nkindshield: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error. Keep Python
        # from complaining while flushing at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

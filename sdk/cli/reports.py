"""``kindshield report file|list|get|export|verify|status``."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .._constants import REPLAYED_HEADER
from .common import EXIT_CHECK_FAILED, EXIT_OK, UsageError, make_client
from .output import clean, fmt_time, print_json, table
from .parser import Parents


def cmd_report(args: argparse.Namespace) -> int:
    """``kindshield report file|list|get|export|verify|status``."""
    with make_client(args) as client:
        if args.action == "file":
            try:
                receipt = client.reports.file(
                    text=args.text, url=args.url_seen, author=args.author, platform=args.platform,
                    seen_at=args.seen_at,
                    context=args.context, category=args.category, note=args.note, screenshot=args.screenshot,
                    idempotency_key=args.idempotency_key,
                )
            except (OSError, ValueError) as exc:
                raise UsageError(f"screenshot: {getattr(exc, 'strerror', None) or exc}") from None
            if args.json:
                print_json(receipt.to_dict())
            else:
                replayed = receipt.meta is not None and receipt.meta.headers.get(REPLAYED_HEADER) == "true"
                verb = "Already filed (same idempotency key): report" if replayed else "Filed report"
                sys.stdout.write(f"{verb} {receipt.id} at {fmt_time(receipt.received_at)}\n")
                sys.stdout.write(f"sha256: {receipt.sha256}\n")
            return EXIT_OK
        if args.action == "list":
            reports = client.reports.list()
            if args.json:
                print_json([r.to_dict() for r in reports])
            elif not reports:
                sys.stdout.write("No reports.\n")
            else:
                rows = [[r.id, fmt_time(r.received_at), r.status or "-", r.category or "-", r.author or "-",
                         r.text or ""] for r in reports]
                table(rows, ["ID", "RECEIVED", "STATUS", "CATEGORY", "AUTHOR", "TEXT"], stretch=5)
            return EXIT_OK
        if args.action == "get":
            report = client.reports.get(args.id)
            if args.save_screenshot and report.screenshot:
                with open(args.save_screenshot, "wb") as handle:
                    handle.write(report.screenshot)
            if args.json:
                print_json(report.to_dict())
            else:
                for label, value in (
                    ("id", report.id), ("status", report.status), ("received", fmt_time(report.received_at)),
                    ("seen", fmt_time(report.seen_at) if report.seen_at else None), ("url", report.url),
                    ("author", report.author), ("category", report.category), ("text", report.text),
                    ("context", report.context), ("note", report.note), ("sha256", report.sha256),
                    ("screenshot", f"{len(report.screenshot)} bytes" if report.screenshot else None),
                ):
                    if value:
                        sys.stdout.write(f"{label + ':':<12}{clean(str(value))}\n")
            return EXIT_OK
        if args.action == "status":
            report = client.reports.update_status(args.id, args.status, note=args.note,
                                                  idempotency_key=args.idempotency_key)
            if args.json:
                print_json(report.to_dict())
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
        print_json(result.to_dict())
    elif result.ok:
        sys.stdout.write(f"Report chain OK: {result.checked} record{'s' if result.checked != 1 else ''} checked.\n")
    else:
        where = f" (record #{result.first_bad_seq})" if result.first_bad_seq else ""
        why = f": {result.reason}" if result.reason else ""
        sys.stdout.write(f"Report chain BROKEN at {result.first_bad}{where}{why}\n")
    return EXIT_OK if result.ok else EXIT_CHECK_FAILED


IDEMPOTENCY_HELP = ("sent as Idempotency-Key (default: a new one per run): run again with the same KEY "
                    "(a script rerun after a crash, e.g. the message id) and the server answers with "
                    "what the first run filed instead of filing it twice")


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, common_no_url, as_json = parents.common, parents.common_no_url, parents.as_json
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
    q.add_argument("--idempotency-key", metavar="KEY", help=IDEMPOTENCY_HELP)
    q = rsub.add_parser("list", parents=[common, as_json], help="list your reports")
    q = rsub.add_parser("get", parents=[common, as_json], help="show one report")
    q.add_argument("id", metavar="ID")
    q.add_argument("--save-screenshot", metavar="PATH", help="write the screenshot to PATH")
    q = rsub.add_parser("status", parents=[common, as_json], help="move a report forward")
    q.add_argument("id", metavar="ID")
    q.add_argument("status", choices=("sent_to_platform", "resolved"))
    q.add_argument("--note", help="a note recorded with the change")
    q.add_argument("--idempotency-key", metavar="KEY", help=IDEMPOTENCY_HELP)
    q = rsub.add_parser("export", parents=[common], help="export all reports (JSON or CSV)")
    q.add_argument("--format", choices=("json", "csv"), default="json")
    q.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    rsub.add_parser("verify", parents=[common, as_json], help="verify the report hash chain")
    p.set_defaults(func=cmd_report)

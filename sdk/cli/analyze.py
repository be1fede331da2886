"""``kindshield analyze`` and ``kindshield precheck``."""
from __future__ import annotations

import argparse
import sys
from typing import Any, List, Optional

from .. import _constants as C
from .._types import Analysis, AnalysisResult, ModelInfo
from .common import EXIT_CHECK_FAILED, EXIT_OK, make_client
from .input import read_inputs
from .output import PROGRESS_THRESHOLD, Progress, clean, print_json, table
from .parser import Parents


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
    where, texts = read_inputs(args)
    show = args.progress if args.progress is not None else (
        len(texts) > PROGRESS_THRESHOLD and sys.stderr is not None and sys.stderr.isatty()
    )
    progress = Progress(len(texts), show)
    results: List[AnalysisResult] = []
    model: Optional[ModelInfo] = None
    with make_client(args) as client:
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
        print_json(data)
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
    with make_client(args) as client:
        result = client.precheck(args.text, lang=args.lang)
    if args.json:
        print_json(result.to_dict())
    elif result.nudge:
        sys.stdout.write(f"nudge: {clean(result.message or '')}\n")
        sys.stdout.write(f"nudge id: {result.nudge_id}\n")
    else:
        sys.stdout.write("no nudge: fine to post\n")
    return EXIT_OK


def register(sub: Any, parents: Parents) -> None:
    """Add this group's subcommand(s) to ``sub``."""
    common, as_json, epilog = parents.common, parents.as_json, parents.epilog
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

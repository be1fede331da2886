"""Input: the texts to analyse, from arguments, ``-f FILE`` or standard input (UTF-8 only)."""
from __future__ import annotations

import argparse
import sys
from typing import List, Tuple

from .. import _constants as C
from .common import UsageError


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


def read_inputs(args: argparse.Namespace) -> Tuple[List[int], List[str]]:
    """(line numbers or positions, texts) from arguments, ``-f`` or stdin."""
    pairs: List[Tuple[int, str]] = []
    if args.texts == ["-"] and not args.file:  # `kindshield analyze -`: the texts come from stdin
        args.texts, args.file = [], "-"
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

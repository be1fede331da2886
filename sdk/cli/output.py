"""Terminal output: display widths (CJK takes two columns), safe one-line text, aligned tables,
JSON, times and a progress bar."""
from __future__ import annotations

import json
import shutil
import sys
import unicodedata
from datetime import datetime, timezone
from typing import IO, Any, Iterable, Optional, Sequence

from .. import _constants as C

#: Inputs with more texts than this get a progress bar on stderr (when
#: stderr is a terminal, or with ``--progress``).
PROGRESS_THRESHOLD = C.MAX_BATCH_SIZE


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


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fmt_time(value: Optional[datetime]) -> str:
    if value is None:
        return "-"
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def fmt_left(seconds: Optional[int]) -> str:
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

"""Apply a stage's dev rule to ``training.compare --split dev`` reports (issue 35).

Model 3's stages are chosen by a rule fixed before the stage's figures exist:

- a candidate is **eligible** if, against the reference (the shipped model), it loses
  no more than ``max_loss`` points of accuracy on any dev source and on the dev probe
  in each language;
- among the eligible, the one with the largest **stance gain** (mean over en and zh of
  the stance dev rows' accuracy minus the reference's) is picked;
- the stage **improved dev** only if the pick's stance gain is positive. Two stages in
  a row that do not improve dev end the issue's training loop (the stop rule).

Until stage 5 this was applied by hand. ``min_texts`` is for the next stage: a loss
over the bar counts only when it is at least that many texts, because on a 64-text
source one text is 1.6 points (stage 5's end lost one ToxiGen text and was therefore
not eligible). The default, 1, is the rule stages 4 and 5 used.

    python -m training.choose --reference "3.1 (3.1.0)" runs/eval/dev-a.json runs/eval/dev-b.json
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Verdict:
    name: str
    stance_gain: float                     # points, mean of en and zh
    losses: list[str] = field(default_factory=list)   # what broke the bar

    @property
    def eligible(self) -> bool:
        return not self.losses


def merge(reports: list[dict]) -> dict:
    """One report from several ``compare --json`` files (each scored some of the models)."""
    out: dict = {}
    for report in reports:
        for table, rows in report.items():
            for row, by_model in rows.items():
                out.setdefault(table, {}).setdefault(row, {}).update(by_model)
    return out


def _loss(ref: dict, got: dict, max_loss: float, min_texts: int) -> str | None:
    drop = (ref["acc"] - got["acc"]) * 100
    texts = round((ref["acc"] - got["acc"]) * ref["n"])
    if drop > max_loss + 1e-9 and texts >= min_texts:
        return f"{drop:.1f} points ({texts} of {ref['n']} texts)"
    return None


def judge(report: dict, reference: str, max_loss: float = 1.0, min_texts: int = 1) -> list[Verdict]:
    """A verdict for every model in ``report`` other than ``reference``. compare names a
    model "NAME (version)"; ``reference`` may be given as NAME alone."""
    names = {n for rows in report.get("test", {}).values() for n in rows}
    if reference not in names:
        matches = [n for n in names if n.startswith(reference + " (")]
        if len(matches) != 1:
            raise SystemExit(f"reference {reference!r} is not one of the reports' models: {sorted(names)}")
        reference = matches[0]
    names -= {reference}
    verdicts = []
    for name in sorted(names):
        losses = []
        for table, label in (("test", "dev source"), ("probe_language", "dev probe")):
            for row, by_model in sorted(report.get(table, {}).items()):
                if reference in by_model and name in by_model:
                    why = _loss(by_model[reference], by_model[name], max_loss, min_texts)
                    if why:
                        losses.append(f"{label} {row}: -{why}")
        stance = report.get("stance_language", {})
        gains = [(rows[name]["acc"] - rows[reference]["acc"]) * 100
                 for rows in stance.values() if name in rows and reference in rows]
        verdicts.append(Verdict(name, sum(gains) / len(gains) if gains else 0.0, losses))
    return verdicts


def pick(verdicts: list[Verdict]) -> Verdict | None:
    """The eligible candidate with the largest stance gain, if that gain is positive."""
    eligible = [v for v in verdicts if v.eligible]
    best = max(eligible, key=lambda v: v.stance_gain, default=None)
    return best if best is not None and best.stance_gain > 0 else None


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("reports", nargs="+", help="compare --split dev --json files")
    p.add_argument("--reference", required=True, help="the shipped model's name in the reports")
    p.add_argument("--max-loss", type=float, default=1.0, help="points of accuracy a candidate may lose")
    p.add_argument("--min-texts", type=int, default=1, help="a loss counts only if at least this many texts")
    args = p.parse_args(argv)
    report = merge([json.loads(Path(f).read_text(encoding="utf-8")) for f in args.reports])
    verdicts = judge(report, args.reference, args.max_loss, args.min_texts)
    for v in verdicts:
        state = "eligible" if v.eligible else "not eligible: " + "; ".join(v.losses)
        print(f"{v.name}: stance gain {v.stance_gain:+.1f} points; {state}")
    chosen = pick(verdicts)
    print(f"pick: {chosen.name}" if chosen else "pick: none (the stage did not improve dev)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

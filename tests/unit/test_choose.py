"""training.choose: model 3's dev rule, applied to compare reports (issue 35)."""
from __future__ import annotations

import json

from training.choose import judge, main, merge, pick

REF = "3.1"


def _report(rows: dict[str, dict[str, tuple[int, float]]]) -> dict:
    """{table: {row: (n, {model: acc})}} -> compare's JSON shape."""
    out: dict = {}
    for table, by_row in rows.items():
        for row, (n, accs) in by_row.items():
            out.setdefault(table, {})[row] = {m: {"n": n, "acc": a} for m, a in accs.items()}
    return out


REPORT = _report({
    "test": {"olid": (1000, {REF: 0.800, "end": 0.795, "avg": 0.790, "flat": 0.800}),
             "toxigen": (64, {REF: 0.797, "end": 0.781, "avg": 0.797, "flat": 0.797})},
    "probe_language": {"en": (300, {REF: 0.83, "end": 0.84, "avg": 0.83, "flat": 0.83}),
                       "zh": (300, {REF: 0.81, "end": 0.82, "avg": 0.80, "flat": 0.81})},
    "stance_language": {"en": (1000, {REF: 0.80, "end": 0.84, "avg": 0.82, "flat": 0.80}),
                        "zh": (1000, {REF: 0.72, "end": 0.76, "avg": 0.73, "flat": 0.72})},
})


def test_a_loss_over_the_bar_on_any_source_or_probe_makes_a_candidate_ineligible():
    verdicts = {v.name: v for v in judge(REPORT, REF)}
    assert set(verdicts) == {"end", "avg", "flat"}
    assert not verdicts["end"].eligible and "toxigen" in verdicts["end"].losses[0]   # one text of 64
    assert verdicts["avg"].eligible                                                   # exactly 1.0 point is allowed
    assert round(verdicts["end"].stance_gain, 6) == 4.0 and round(verdicts["avg"].stance_gain, 6) == 1.5
    assert pick(list(verdicts.values())).name == "avg"


def test_no_stance_gain_means_the_stage_did_not_improve_dev():
    flat_only = {t: {r: {m: v for m, v in ms.items() if m in (REF, "flat")} for r, ms in rows.items()}
                 for t, rows in REPORT.items()}
    assert pick(judge(flat_only, REF)) is None


def test_min_texts_ignores_losses_of_fewer_texts():
    verdicts = {v.name: v for v in judge(REPORT, REF, min_texts=2)}
    assert verdicts["end"].eligible                 # the single ToxiGen text no longer counts
    assert pick(list(verdicts.values())).name == "end"
    probe = {v.name: v for v in judge(REPORT, REF, max_loss=0.5)}
    assert not probe["avg"].eligible and any("dev probe zh" in x for x in probe["avg"].losses)


def test_reports_from_several_runs_merge(tmp_path, capsys):
    a = {t: {r: {m: v for m, v in ms.items() if m in (REF, "end")} for r, ms in rows.items()} for t, rows in REPORT.items()}
    b = {t: {r: {m: v for m, v in ms.items() if m in ("avg",)} for r, ms in rows.items()} for t, rows in REPORT.items()}
    assert merge([a, b])["test"]["olid"].keys() == {REF, "end", "avg"}
    for name, rep in (("a.json", a), ("b.json", b)):
        (tmp_path / name).write_text(json.dumps(rep))
    assert main([str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--reference", REF]) == 0
    out = capsys.readouterr().out
    assert "pick: avg" in out and "end: stance gain +4.0 points; not eligible" in out


def test_reference_by_name_without_its_version():
    named = {t: {r: {(m + " (3.1.0)" if m == REF else m): v for m, v in ms.items()} for r, ms in rows.items()}
             for t, rows in REPORT.items()}
    assert pick(judge(named, REF)).name == "avg"
    try:
        judge(named, "2.5")
    except SystemExit as e:
        assert "not one of the reports' models" in str(e)
    else:
        raise AssertionError("an unknown reference must stop")

"""training.compare's bookkeeping: per-source metrics, per-category accuracy, the dev probe table.

A keyword scorer stands in for a model here: this tests the report's arithmetic
and layout, not any model (the real models are compared by the command itself).
"""
import numpy as np

from training.compare import Scorer, compare, markdown
from training.sources import Example


def keyword_scorer(word: str) -> Scorer:
    def score(texts):
        return np.array([0.9 if word in t else 0.1 for t in texts]), np.full(len(texts), 0.5)

    return Scorer("kw", score)


def case(text, toxic, category, suite="en"):
    return {"text": text, "toxic": toxic, "category": category, "suite": suite}


def test_report_counts_each_case_set_apart():
    test = [Example("you idiot", {"toxic": 1}, "olid", "en", "test"),
            Example("hello there", {"toxic": 0}, "olid", "en", "test"),
            Example("idiot proof design", {"toxic": 0}, "olid", "en", "test")]
    suite = [case("idiot", 1, "insult"), case("not an idiot", 0, "negation"), case("nice", 0, "negation")]
    probe = [case("idiot!", 1, "insult", "zh"), case("fine", 1, "insult", "zh")]
    report = compare([keyword_scorer("idiot")], test, suite, probe)

    assert report["test"]["olid"]["kw"]["n"] == 3
    assert report["test"]["olid"]["kw"]["acc"] == round(2 / 3, 4)
    assert report["suite"]["en:insult"]["kw"] == {"n": 1, "acc": 1.0}
    assert report["suite"]["en:negation"]["kw"] == {"n": 2, "acc": 0.5}
    assert report["suite_language"]["en"]["kw"] == {"n": 3, "acc": round(2 / 3, 3)}
    assert report["probe"]["zh:insult"]["kw"] == {"n": 2, "acc": 0.5}
    assert report["probe_language"]["zh"]["kw"]["n"] == 2

    table = markdown(report, ["kw"], "dev")
    assert "functional dev templates (not the suite)" in table
    assert "| dev probe (hand-written apart from training and the suite) | n | kw |" in table
    assert "| zh:insult | 2 | 0.500 |" in table


def test_no_probe_no_probe_table():
    report = compare([keyword_scorer("x")], [], [case("x", 1, "insult")])
    assert "probe" not in report
    assert "dev probe" not in markdown(report, ["kw"], "test")


def test_dev_stance_rows_get_their_own_table():
    stance = [case("Your parcel arrives at your home address", 0, "twin_written"),
              case("I know where you live", 1, "stance_abusive")]
    report = compare([keyword_scorer("live")], [], [case("x", 1, "insult")], stance=stance)
    assert report["stance"]["en:twin_written"]["kw"] == {"n": 1, "acc": 1.0}
    assert report["stance_language"]["en"]["kw"] == {"n": 2, "acc": 1.0}
    assert "model 3 stance dev rows" in markdown(report, ["kw"], "dev")

"""training.heads: per-head metrics per source and the heads-disagree count.

A keyword scorer checks the report's arithmetic (which rows count, each text at
its own threshold); the last test runs the shipped model through the same
scorer the command uses.
"""
import numpy as np

from kindshield_server.model.session import default_model_dir
from training.heads import MIN_PER_CLASS, evaluate_heads, markdown, model_head_scorer
from training.sources import LABELS, Example


def keyword_scorer(words: dict[str, str]):
    """head -> word: that head scores 0.9 on texts with the word, else 0.1; thresholds 0.5."""
    def score(texts):
        probs = np.full((len(texts), len(LABELS)), 0.1)
        for j, head in enumerate(LABELS):
            if head in words:
                probs[:, j] = [0.9 if words[head] in t else 0.1 for t in texts]
        return probs, np.full_like(probs, 0.5)

    return score


def rows(source: str, head: str, positives: list[str], negatives: list[str]) -> list[Example]:
    return ([Example(t, {head: 1}, source, "en", "test") for t in positives]
            + [Example(t, {head: 0}, source, "en", "test") for t in negatives])


def test_each_source_is_judged_on_its_own_labels_for_the_head():
    n = MIN_PER_CLASS
    test = (rows("ghc", "threat", [f"kill {i}" for i in range(n)], [f"hello {i}" for i in range(n)])
            # too few positives to report
            + rows("edos", "threat", ["kill"], [f"fine {i}" for i in range(n)]))
    report = evaluate_heads({"kw": keyword_scorer({"threat": "kill"})}, test)

    assert set(report["heads"]) == {"threat"}
    assert set(report["heads"]["threat"]) == {"ghc"}
    cell = report["heads"]["threat"]["ghc"]["kw"]
    assert cell == {"n": 2 * n, "pos": n, "f1": 1.0, "auc": 1.0}
    assert "| threat | ghc | 20 (10) | 1.000 / 1.000 |" in markdown(report, ["kw"])


def test_disagreement_counts_sub_heads_over_threshold_while_toxic_is_not():
    test = [Example(t, {"toxic": 0}, "olid", "en", "test")
            for t in ("I will follow you home", "you idiot follow", "hello")]
    # threat fires on "follow", toxic on "idiot": one of two sub-head texts is not toxic
    report = evaluate_heads({"kw": keyword_scorer({"threat": "follow", "toxic": "idiot"})}, test)
    assert report["disagreement"]["kw"] == {"texts": 3, "sub_head_fires": 2, "sub_head_fires_toxic_not": 1,
                                            "share": 0.5}


def test_the_shipped_model_scores_every_head_at_its_language_thresholds():
    version, score = model_head_scorer(str(default_model_dir()))
    probs, thr = score(["You are a worthless idiot.", "谢谢你的帮助"])
    assert version
    assert probs.shape == thr.shape == (2, len(LABELS))
    assert ((probs >= 0) & (probs <= 1)).all()
    # the Chinese text is judged at the Chinese thresholds, which differ from English ones
    assert not np.array_equal(thr[0], thr[1])
    assert probs[0, LABELS.index("insult")] >= thr[0, LABELS.index("insult")]
    assert probs[1, LABELS.index("insult")] < thr[1, LABELS.index("insult")]

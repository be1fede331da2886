"""Character n-gram TF-IDF + logistic regression on the `toxic` head.

Two uses: it is the floor the issue measures against (printed by
``python -m training.ngram --data ../shared/data``), and, exported with
skl2onnx as ``ngram.onnx``, the second member of the shipped ensemble: its
character n-grams see Chinese wording that freshly learned CJK embeddings
barely know after one epoch. Whether to blend, and with what weight, is
decided per language on the dev split by ``training.export``.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from kindshield_server.model.normalize import normalize


def make_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=3, max_features=200_000,
                                  sublinear_tf=True, lowercase=False, dtype=np.float32)),
        ("lr", LogisticRegression(C=4.0, max_iter=2000)),
    ])


def train_ngram(train_examples):
    rows = [e for e in train_examples if "toxic" in e.labels and e.source != "functional"]
    texts = [e.meta.get("normalized") or normalize(e.text) for e in rows]
    y = [e.labels["toxic"] for e in rows]
    pipe = make_pipeline()
    pipe.fit(texts, y)
    return pipe


def export_ngram(pipe, path: Path):
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import StringTensorType

    onx = to_onnx(pipe, initial_types=[("text", StringTensorType([None, 1]))],
                  options={id(pipe.steps[-1][1]): {"zipmap": False}}, target_opset=17)
    path.write_bytes(onx.SerializeToString())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", required=True)
    args = p.parse_args(argv)
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    from .data import prepare_examples

    ns = argparse.Namespace(data=args.data, limit=0, seed=13, davidson_offensive=7000)
    train, dev = prepare_examples(ns)
    t = time.time()
    pipe = train_ngram(train)
    print(f"trained in {time.time() - t:.0f}s")
    for source in ("cold", "olid", "davidson", "toxic_spans", "mlma"):
        rows = [e for e in dev if e.source == source]
        y = [e.labels["toxic"] for e in rows]
        prob = pipe.predict_proba([normalize(e.text) for e in rows])[:, 1]
        print(f"{source:12} acc {accuracy_score(y, prob >= 0.5):.3f}  AUC {roc_auc_score(y, prob):.3f}  "
              f"macro-F1 {f1_score(y, prob >= 0.5, average='macro'):.3f}")


if __name__ == "__main__":
    main()

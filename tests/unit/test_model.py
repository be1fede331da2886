"""The shipped model, loaded through the same inference code the server uses."""
import json
import shutil

import pytest

from kindshield_server.model import ModelLoadError, ToxicityModel, default_model_dir

ABUSIVE_EN = ["You are a worthless idiot and everyone hates you",
              "Shut up you stupid bitch",
              "I will find you and kill you"]
BENIGN_EN = ["Thanks for sharing this recipe, it looks delicious",
             "The meeting has been moved to Thursday afternoon"]
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
        # Windows are scored one per call, so a text's result does not depend on what
        # it is sent with (fp32 arithmetic since 2.5.1; 2.5.0's int8 scales did).
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


def test_spans_in_chinese_point_at_the_insult(model):
    text = "谢谢分享，不过你就是个傻逼"
    (r,) = model.analyze([text], explain=True)
    assert r.toxic and r.spans
    found = "".join(text[s.start:s.end] for s in r.spans)
    assert "傻逼" in found
    assert "谢谢" not in found and "分享" not in found


# Redundant abuse: the frame ('你就是个', '你这个') and the insult each keep the text toxic
# without the other, so no single removal lowers the score; the units toxic on their own
# are marked, and the neutral address '楼主' is not. The first is also unnormalised ('傻 逼').
@pytest.mark.parametrize(("text", "insult"), [("楼主你就是个傻 逼", ("傻", "逼")), ("楼主你这个废物赶紧滚", ("废物",))])
def test_spans_of_redundant_abuse_in_chinese_leave_the_neutral_address_out(model, text, insult):
    (r,) = model.analyze([text], explain=True)
    assert r.toxic and r.spans
    found = "".join(text[s.start:s.end] for s in r.spans)
    assert all(part in found for part in insult), found
    assert "楼" not in found and "主" not in found


def test_a_congratulation_is_not_flagged(model):
    # 2.3 scored this 0.61 (2.2: 0.14); 2.4 trained on hand-written friendly messages, one of
    # them a congratulation on graduating in other words (training/written/en.jsonl)
    (r,) = model.analyze(["Congratulations on your graduation!"])
    assert not r.toxic, r.score


def test_spans_of_a_row_of_insults_leave_out_words_that_are_only_toxic_as_a_pair(model):
    """When no single removal is decisive, units are marked for being abusive on their own;
    an English word pair counts only word by word ('are' alone is not toxic; 'you are' is, at 0.64)."""
    text = "you are a stupid worthless idiot"
    (r,) = model.analyze([text], explain=True)
    found = " ".join(text[s.start:s.end] for s in r.spans).split()
    assert {"stupid", "worthless", "idiot"} <= set(found), found
    assert "are" not in found and "a" not in found, found


@pytest.mark.xfail(strict=True, reason="known limit since kindshield-tox 2.3 (MODEL_CARD.md): 'you' alone scores "
                   "as toxic, so it is marked beside the insults (2.2 marked the insults alone)")
def test_spans_of_a_row_of_insults_mark_the_insults_not_the_address(model):
    """Removing any one insult of three leaves the text as toxic as before; the small drop
    that removing 'you are' makes must not win over the insults."""
    text = "you are a stupid worthless idiot"
    (r,) = model.analyze([text], explain=True)
    assert r.toxic and r.spans
    found = " ".join(text[s.start:s.end] for s in r.spans)
    assert all(word in found for word in ("stupid", "worthless", "idiot")), found
    assert "you" not in found and "are" not in found


def test_long_texts_are_explained_coarse_to_fine(model, monkeypatch):
    """Past EXPLAIN_FULL_TOKENS, words are occluded only inside the stretches that
    matter: far fewer passes, and the same insult found as by occluding every word."""
    filler = "Thanks for the update on the garden project, the tomatoes look great this year. "
    text = filler * 2 + "You are a worthless idiot. " + filler * 2
    rows = []
    real_run = model._run

    def counting_run(id_lists, *args, **kwargs):
        rows.append(len(id_lists))
        return real_run(id_lists, *args, **kwargs)

    monkeypatch.setattr(model, "_run", counting_run)
    found = {}
    for mode, full_tokens in (("full", 10**6), ("focused", model.explain_full_tokens)):
        monkeypatch.setattr(model, "explain_full_tokens", full_tokens)
        rows.clear()
        (r,) = model.analyze([text], explain=True)
        assert r.toxic and r.spans, mode
        found[mode] = (sum(rows), [text[s.start:s.end] for s in r.spans])
    assert found["focused"][0] < found["full"][0] / 2, found
    for mode, (_, spans) in found.items():
        joined = " ".join(spans)
        assert "idiot" in joined and "garden" not in joined and "tomatoes" not in joined, (mode, spans)


# Reference scores of the shipped model, as fastembed's tests pin theirs: an
# accidental change in normalisation, tokenization, windows or the graph moves
# them. Only texts far (> 0.3) from the toxic threshold are pinned. Since 2.5.1 the
# graph computes in fp32 (training/quantize.py, qdq8): the same graph on an AVX-512 VNNI
# CPU and on an AVX2-only one (Haswell, emulated: bench/cpu_kinds.py) differed by at
# most 0.005 on the 861 of 1,717 texts scoring under 0.1 or over 0.9 (by up to 0.037
# near the threshold, where the sigmoid is steep); 2.5.0's int8 graph differed by up to 0.53.
REFERENCE_TOLERANCE = 0.01
REFERENCE_SCORES = {
    "You are a worthless idiot and everyone hates you": 0.9754,
    "Thanks for sharing this recipe, it looks delicious": 0.0170,
    "你这种废物怎么还不去死": 0.9902,
    "祝你生日快乐，天天开心": 0.0149,
    "your son's football practice ends at 5, right? I'll be around": 0.9878,
    "see you at the meetup tomorrow!": 0.0035,
}


def test_reference_scores(model):
    assert model.version == "3.1.0"
    texts = list(REFERENCE_SCORES)
    got = {t: r.score for t, r in zip(texts, model.analyze(texts))}
    assert got == pytest.approx(REFERENCE_SCORES, abs=REFERENCE_TOLERANCE)
    # Far from the threshold, so no CPU can flip them: scores move between CPU kinds by
    # 0.04 at most (2.5.1's card). 3.1.0's English threshold is 0.60, so an insult at
    # 0.975 is 0.375 from it; the margin was 0.4 while thresholds sat near 0.55.
    for text, score in REFERENCE_SCORES.items():
        assert abs(score - model.thresholds(model.analyze([text])[0].language)["toxic"]) > 0.3, text


# Worded apart from training/compose.py's parts (no "I know where ...", no "posting her ...").
@pytest.mark.parametrize("text", ["your son's football practice ends at 5, right? I'll be around",
                                  "look up her front door on street view, I put the link in the chat",
                                  "你女儿每天放学走的那条小路，我去看过了",
                                  "她的工位和住的小区都被我找出来了，谁想去自己去"])
def test_threats_and_doxxing_without_a_violent_word_are_flagged(model, text):
    (r,) = model.analyze([text])
    assert r.toxic, (text, r.score)


@pytest.mark.parametrize("text", ["see you at the meetup tomorrow!", "明天见！"])
def test_friendly_plans_are_not_threats(model, text):
    (r,) = model.analyze([text])
    assert not r.toxic, (text, r.score)


@pytest.mark.xfail(strict=True, reason="known limit of kindshield-tox 2.5 and 3.x (MODEL_CARD.md): a parting 'see "
                   "you soon' reads as a veiled threat (3.1: 0.83 against a threshold of 0.60, threat head 0.98; "
                   "fp32 arithmetic since 2.5.1 moves scores between CPU kinds by 0.04 at most; 2.5.0's int8 "
                   "graph put it under the threshold on AVX2-only CPUs)")
def test_a_parting_greeting_is_not_a_threat(model):
    (r,) = model.analyze(["great meeting you, see you soon"])
    assert not r.toxic, r.score


# Wanted, not reached (MODEL_CARD.md, known limits): strict, so a model that
# fixes one fails here loudly and the limit can be struck from the card.
@pytest.mark.xfail(strict=True, reason="known limit of kindshield-tox 2.5 and 3.x (MODEL_CARD.md): negated insults "
                   "are still flagged when the sentence is only 'I don't think you are X' (3.1: 0.81)")
def test_a_bare_negated_insult_is_not_flagged(model):
    (r,) = model.analyze(["我不觉得你是废物"])
    assert not r.toxic, r.score


def test_a_negated_insult_with_comfort_is_not_flagged(model):
    # 2.2 flagged this; 2.3 and 2.4 (more negation frames in training, none with this wording) do not
    (r,) = model.analyze(["没人觉得你是废物，别哭了"])
    assert not r.toxic, r.score


def test_praise_in_an_insult_frame_is_not_flagged(model):
    # a known limit of 2.3 (0.63 against its zh threshold of 0.48); 2.4 scores it well below
    (r,) = model.analyze(["你就是个好人"])
    assert not r.toxic, r.score


@pytest.mark.parametrize("text", ["今天考试又睡过头了，我可真是个大笨蛋啊", "oh shit, I dropped my ice cream"])
def test_self_deprecation_and_swearing_at_no_one_are_not_flagged(model, text):
    (r,) = model.analyze([text])
    assert not r.toxic, (text, r.score)


def test_benign_text_has_no_spans(model):
    (r,) = model.analyze(["What a lovely day for a walk"], explain=True)
    assert r.spans == ()

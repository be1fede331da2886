from kindshield_server.policy.nudge import compose, merge_spans, nudge_kind, nudge_language, quotes_for, should_nudge

ACCUSING = ("you are", "abusive", "toxic person", "bully", "你是", "霸凌", "辱骂")


def test_english_nudge_quotes_words_and_is_not_accusing():
    text = "you are such an idiot, honestly"
    n = compose(text, ["toxic", "insult"], [(16, 21)], "en")
    assert n.quotes == ("idiot",)
    assert "“idiot”" in n.message and "rephrase" in n.message
    assert not any(a in n.message.lower() for a in ACCUSING)
    assert len(n.message) < 160


def test_chinese_nudge():
    text = "你真是个傻逼"
    n = compose(text, ["insult"], [(4, 6)], "zh")
    assert "“傻逼”" in n.message and "换个说法" in n.message
    assert not any(a in n.message for a in ACCUSING)


def test_threat_wording_and_no_spans():
    n = compose("I will find you", ["threat", "toxic"], [], "en")
    assert "threat" in n.message and n.quotes == ()


def test_span_merging_and_limits():
    assert merge_spans([(5, 8), (0, 3), (3, 4), (20, 30)], 25) == [(0, 8), (20, 25)]
    text = "a c d e f g h i j k " + "b" * 80
    q = quotes_for(text, [(0, 1), (4, 5), (8, 9), (20, 100)])
    assert q == ("a", "d", "f")
    long = quotes_for(text, [(20, 100)])
    assert len(long[0]) == 40 and long[0].endswith("…")


def test_language_choice_and_thresholds():
    assert nudge_language("auto", "zh") == "zh"
    assert nudge_language("auto", "und") == "en"
    assert nudge_language("en", "zh") == "en"
    assert should_nudge({"toxic": 0.7, "targeted_person": 0.9}, {"toxic": 0.5}) == ("toxic",)
    assert should_nudge({"toxic": 0.1}, {"toxic": 0.5}) == ()


def test_only_the_toxic_decision_nudges_and_sub_labels_name_the_kind():
    t = {"toxic": 0.55, "insult": 0.48, "threat": 0.48, "identity_attack": 0.59, "obscene": 0.69}
    # swearing at no one, a disagreement that grazes identity_attack: no nudge
    assert should_nudge({"toxic": 0.01, "obscene": 1.0}, t) == ()
    assert should_nudge({"toxic": 0.26, "identity_attack": 0.61}, t) == ()
    kinds = should_nudge({"toxic": 0.9, "threat": 0.95, "obscene": 0.2}, t)
    assert kinds == ("toxic", "threat") and nudge_kind(kinds) == "threat"
    assert "threat" in compose("I will hurt you", kinds, [], "en").message

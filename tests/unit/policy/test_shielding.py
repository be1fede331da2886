import pytest

from kindshield_server.policy.settings import ProtectionSettings, SettingsError
from kindshield_server.policy.shielding import Item, adjusted_thresholds, decide

T = {"toxic": 0.5, "insult": 0.5, "threat": 0.5, "identity_attack": 0.5, "obscene": 0.5, "targeted_person": 0.5}
CLEAN = {k: 0.02 for k in T}


def labels(**kw):
    d = dict(CLEAN)
    d.update(kw)
    return d


def rules(decision):
    return [r.rule for r in decision.reasons]


def test_clean_from_anyone_is_delivered():
    d = decide(Item("comment", "stranger", "s1", CLEAN), ProtectionSettings(), T, False)
    assert d.action == "deliver" and rules(d) == ["default"] and not d.hostile


def test_moderately_hostile_folds_and_names_labels():
    d = decide(Item("comment", "follower", "s1", labels(toxic=0.6, insult=0.62)), ProtectionSettings(), T, False)
    assert d.action == "fold"
    (r,) = d.reasons
    assert r.rule == "hostile_fold" and set(r.labels) == {"toxic", "insult"}
    assert d.to_dict()["reasons"][0]["labels"]


def test_clearly_hostile_or_threat_blocks():
    d = decide(Item("comment", "mutual", "s1", labels(toxic=0.95)), ProtectionSettings(), T, False)
    assert d.action == "block" and rules(d) == ["hostile_block"]
    d = decide(Item("dm", "mutual", "s1", labels(toxic=0.6, threat=0.55)), ProtectionSettings(), T, False)
    assert d.action == "block" and d.reasons[0].labels == ("threat",)


def test_only_the_toxic_decision_makes_an_item_hostile():
    # a sub-label over its threshold says what kind of hostility it is; alone it decides nothing
    for sub in ("insult", "threat", "identity_attack", "obscene"):
        for kind in ("dm", "comment"):
            d = decide(Item(kind, "stranger", "s1", labels(toxic=0.3, **{sub: 0.99})), ProtectionSettings(), T, False)
            assert d.action == "deliver" and not d.hostile and rules(d) == ["default"], (sub, kind)


def test_swearing_is_never_blocked_and_folds_only_when_the_person_opts_in():
    swearing = Item("dm", "stranger", "s1", labels(toxic=0.1, obscene=1.0))
    assert decide(swearing, ProtectionSettings(), T, False).action == "deliver"
    d = decide(swearing, ProtectionSettings(hide_swearing=True), T, False)
    assert d.action == "fold" and rules(d) == ["swearing"] and not d.hostile
    # strong language does not make hostility "clearly hostile": obscene at 1.0 on a barely toxic item folds
    d = decide(Item("dm", "mutual", "s1", labels(toxic=0.55, obscene=1.0)), ProtectionSettings(), T, False)
    assert d.action == "fold" and set(d.hostile_labels) == {"toxic", "obscene"}
    # relaxed sensitivity ignores bare profanity even for someone hiding swearing
    assert decide(swearing, ProtectionSettings(hide_swearing=True, sensitivity="relaxed"), T, False).action == "deliver"


def test_hide_swearing_is_validated():
    assert ProtectionSettings().updated({"hide_swearing": True}).hide_swearing is True
    with pytest.raises(SettingsError):
        ProtectionSettings().updated({"hide_swearing": "yes"})


def test_sensitivity_moves_thresholds():
    item = Item("comment", "follower", "s1", labels(toxic=0.42))
    assert decide(item, ProtectionSettings(sensitivity="standard"), T, False).action == "deliver"
    assert decide(item, ProtectionSettings(sensitivity="strict"), T, False).action == "fold"
    item = Item("comment", "follower", "s1", labels(toxic=0.6))
    assert decide(item, ProtectionSettings(sensitivity="relaxed"), T, False).action == "deliver"
    # relaxed ignores bare profanity
    assert "obscene" not in adjusted_thresholds(T, "relaxed")
    obscene = Item("comment", "follower", "s1", labels(toxic=0.6, obscene=0.8))
    assert decide(obscene, ProtectionSettings(sensitivity="relaxed"), T, False).action == "deliver"


@pytest.mark.parametrize("audience,relation,kind,expected", [
    ("everyone", "stranger", "dm", "deliver"),
    ("followers", "stranger", "dm", "block"),
    ("followers", "stranger", "comment", "fold"),
    ("followers", "follower", "comment", "deliver"),
    ("followers", "following", "dm", "deliver"),
    ("mutuals", "follower", "reply", "fold"),
    ("mutuals", "mutual", "dm", "deliver"),
    ("contacts", "mutual", "dm", "block"),
    ("contacts", "contact", "mention", "deliver"),
    ("nobody", "contact", "comment", "block"),
])
def test_audience_rules(audience, relation, kind, expected):
    s = ProtectionSettings(who_may_comment=audience, who_may_message=audience)
    d = decide(Item(kind, relation, "s1", CLEAN), s, T, False)
    assert d.action == expected
    if expected != "deliver":
        assert rules(d) == ["audience"]


def test_message_and_comment_settings_are_separate():
    s = ProtectionSettings(who_may_comment="everyone", who_may_message="nobody")
    assert decide(Item("comment", "stranger", "x", CLEAN), s, T, False).action == "deliver"
    assert decide(Item("dm", "contact", "x", CLEAN), s, T, False).action == "block"


def test_lockdown_limits_strangers_and_blocks_hostility_from_anyone():
    s = ProtectionSettings()
    assert decide(Item("comment", "stranger", "x", CLEAN), s, T, True).action == "fold"
    assert decide(Item("dm", "stranger", "x", CLEAN), s, T, True).action == "block"
    d = decide(Item("comment", "mutual", "x", labels(toxic=0.6, insult=0.6)), s, T, True)
    assert d.action == "block" and rules(d) == ["lockdown_hostile"]
    assert decide(Item("comment", "follower", "x", CLEAN), s, T, True).action == "deliver"


def test_allow_list_wins_even_in_lockdown():
    s = ProtectionSettings().updated({"allow_senders": ["friend"]})
    d = decide(Item("dm", "stranger", "friend", labels(toxic=0.97)), s, T, True)
    assert d.action == "deliver" and rules(d) == ["allow_list"]


def test_reclaimed_terms_set_aside_only_when_they_are_the_flagged_words():
    s = ProtectionSettings().updated({"reclaimed_terms": ["Queer"]})
    text = "proud to be queer today"
    spans = [(12, 17, 0.9)]
    d = decide(Item("comment", "stranger", "x", labels(toxic=0.7, identity_attack=0.7), text, spans), s, T, False)
    assert d.action == "deliver" and rules(d) == ["reclaimed_term"]
    # another flagged span not covered -> still hostile
    text2 = "queer and an idiot"
    d = decide(Item("comment", "stranger", "x", labels(toxic=0.7, insult=0.7), text2, [(0, 5, 0.8), (13, 18, 0.9)]), s, T, False)
    assert d.action == "fold"
    # no spans -> no discount
    d = decide(Item("comment", "stranger", "x", labels(toxic=0.7, insult=0.7), text, []), s, T, False)
    assert d.action == "fold"


def test_combined_reasons_keep_most_severe():
    s = ProtectionSettings(who_may_comment="followers")
    d = decide(Item("comment", "stranger", "x", labels(toxic=0.7, insult=0.95)), s, T, False)
    assert d.action == "block" and rules(d) == ["hostile_block", "audience"]


def test_settings_validation():
    with pytest.raises(SettingsError):
        ProtectionSettings().updated({"who_may_comment": "friends"})
    with pytest.raises(SettingsError):
        ProtectionSettings().updated({"sensitivity": "max"})
    with pytest.raises(SettingsError):
        ProtectionSettings().updated({"bogus": 1})
    with pytest.raises(SettingsError):
        ProtectionSettings().updated({"allow_senders": "abc"})
    s = ProtectionSettings().updated({"reclaimed_terms": ["A", "a", " b "]})
    assert s.reclaimed_terms == ("a", "b")
    assert ProtectionSettings.from_dict(s.to_dict()) == s

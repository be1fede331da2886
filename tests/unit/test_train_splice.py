"""training.train's splice augmentation: a labelled text joined to a benign comment."""
import random

import pytest

pytest.importorskip("torch", reason="training extra not installed (pip install -e '.[train]')")

from training.sources import Example  # noqa: E402
from training.train import benign_partners, splice  # noqa: E402

CLS, SEP = 0, 2


def _contains(seq: list[int], part: list[int]) -> bool:
    return any(seq[k:k + len(part)] == part for k in range(len(seq) - len(part) + 1))


def test_the_labelled_text_survives_whole_and_the_result_fits():
    rng = random.Random(3)
    text = [CLS, 50, 51, 52, SEP]
    partners = [[CLS, *range(100, 100 + n), SEP] for n in (3, 20, 90)]
    places = set()
    for _ in range(200):
        out = splice(text, [0, 1, 2], partners, 24, rng)
        assert out[0] == CLS and out[-1] == SEP and len(out) <= 24
        assert _contains(out, [50, 51, 52])
        assert len(out) > len(text)  # there was room, so something was joined
        places.add(out.index(50))
    assert 1 in places and len(places) > 1  # before and after


def test_no_room_or_no_partner_leaves_the_text_alone():
    rng = random.Random(0)
    text = [CLS, *range(10, 30), SEP]
    assert splice(text, [0], [[CLS, 7, 8, SEP]], 25, rng) == text  # 3 tokens of room
    assert splice(text, [], [], 64, rng) == text


def test_partners_are_real_benign_comments_of_each_language():
    rows = [Example("hi all", {"toxic": 0}, "olid", "en"), Example("idiot", {"toxic": 1}, "olid", "en"),
            Example("ok", {"toxic": 0}, "functional", "en"), Example("你好", {"toxic": 0}, "cold", "zh"),
            Example("newcomer", {"identity_attack": 0}, "reddit_cs", "en")]
    assert benign_partners(rows) == {"en": [0], "zh": [3]}

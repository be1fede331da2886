"""training.train's repetition of functional rows: templated and hand-written apart."""
import pytest

pytest.importorskip("torch", reason="training extra not installed (pip install -e '.[train]')")

from training.sources import Example  # noqa: E402
from training.train import parse_args, repeat_functional  # noqa: E402


def _rows():
    corpus = Example("you idiot", {"toxic": 1}, "olid", "en")
    templated = Example("you are not an idiot", {"toxic": 0}, "functional", "en", meta={"case": "en_negation"})
    written = Example("nobody here thinks you're worthless", {"toxic": 0}, "functional", "en",
                      meta={"case": "en_negation", "written": True})
    return corpus, templated, written


def test_each_kind_is_repeated_its_own_number_of_times():
    corpus, templated, written = _rows()
    out = repeat_functional([corpus, templated, written], templated=2, written=5)
    assert out[:3] == [corpus, templated, written]  # the originals stay first, in order
    assert out.count(corpus) == 1 and out.count(templated) == 2 and out.count(written) == 5


def test_once_means_unchanged():
    rows = list(_rows())
    assert repeat_functional(rows, 1, 1) == rows


def test_written_repeat_defaults_to_the_functional_repeat():
    # 0 means "as --functional-repeat", so earlier stages' commands train on the same mix.
    args = parse_args(["--data", "d", "--out", "o", "--functional-repeat", "2"])
    assert args.written_repeat == 0 and (args.written_repeat or args.functional_repeat) == 2


def test_sources_are_dropped_or_repeated():
    from training.train import reweigh_sources
    swsr = Example("女的就该在家", {"toxic": 1}, "swsr", "zh")
    corgi = Example("男女都可以做饭", {"toxic": 0}, "corgi_rewrites", "zh")
    olid = Example("you idiot", {"toxic": 1}, "olid", "en")
    out = reweigh_sources([swsr, corgi, olid], ["swsr=3"], ["corgi_rewrites"])
    assert out.count(swsr) == 3 and corgi not in out and out.count(olid) == 1


@pytest.mark.parametrize("spec", ["swsr", "swsr=0", "swsr=x", "nosuch=2"])
def test_a_bad_source_repeat_stops_training(spec):
    from training.train import reweigh_sources
    with pytest.raises(SystemExit):
        reweigh_sources([Example("x", {"toxic": 1}, "swsr", "zh")], [spec], [])


def test_generated_rows_are_repeated_by_case():
    from training.train import reweigh_sources
    twin = Example("Your parcel arrives Monday.", {"toxic": 0}, "stance", "en", meta={"case": "en_twin_written"})
    pair = Example("you idiot", {"toxic": 1}, "stance", "en", meta={"case": "en_stance_abusive"})
    real = Example("see you at home", {"toxic": 0}, "olid", "en")
    out = reweigh_sources([twin, pair, real], [], [], ["twin=4"])
    assert out.count(twin) == 4 and out.count(pair) == 1 and out.count(real) == 1
    with pytest.raises(SystemExit):
        reweigh_sources([twin, pair, real], [], [], ["nosuchcase=2"])

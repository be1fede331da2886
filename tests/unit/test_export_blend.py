"""training.export --blend: the n-gram weights given by hand, checked before any work starts."""
import argparse

import pytest

from training.export import blend_weights


def test_weights_per_language_are_read():
    assert blend_weights("en=0,zh=0.3") == {"en": 0.0, "zh": 0.3}
    assert blend_weights("zh=0.25") == {"zh": 0.25}


@pytest.mark.parametrize("bad", ["zh", "zh=", "zh=high", "ja=0.3", "zh=1.5", "zh=-0.1", "en=0;zh=0.3"])
def test_a_malformed_or_out_of_range_weight_is_refused(bad):
    with pytest.raises(argparse.ArgumentTypeError, match="expected en=W or zh=W"):
        blend_weights(bad)

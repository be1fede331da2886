"""training.evaluate's probes, run with the shipped model on a handful of rows."""
import pytest

from kindshield_server.model import ToxicityModel, default_model_dir
from training.evaluate import in_context
from training.sources import Example


@pytest.fixture(scope="module")
def model():
    return ToxicityModel.load(default_model_dir(), threads=2)


def test_in_context_puts_flagged_abuse_inside_benign_comments(model):
    rows = [Example("You are a worthless idiot", {"toxic": 1}, "olid", "en"),
            Example("Shut up you stupid bitch", {"toxic": 1}, "olid", "en"),
            Example("lovely weather", {"toxic": 1}, "olid", "en"),  # mislabelled: not flagged alone, left out
            Example("kys", {"toxic": 1}, "functional", "en"),  # generated rows are not used
            Example("Thanks for sharing this recipe, it looks delicious and easy", {"toxic": 0}, "olid", "en"),
            Example("The meeting has been moved to Thursday afternoon, room 4", {"toxic": 0}, "olid", "en"),
            Example("Congratulations on your graduation, we are all so proud!", {"toxic": 0}, "olid", "en")]
    report = in_context(model, rows)
    assert set(report) == {"en"}  # no Chinese rows
    en = report["en"]
    assert en["n"] == 2
    for key in ("still_flagged_after", "still_flagged_before", "still_flagged_between"):
        assert en[key] in (0.0, 0.5, 1.0)
    assert en["still_flagged_after"] == 1.0  # these two insults survive a friendly sentence
    assert en["benign_false_alarms_alone"] == 0.0

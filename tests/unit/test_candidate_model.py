"""The model-3 candidate kept in training/candidates loads through the serving code (its files match
its config's hashes) and is never what the server loads by default."""
from pathlib import Path

from kindshield_server.model.session import ToxicityModel, default_model_dir

CANDIDATE = Path(__file__).resolve().parents[2] / "training" / "candidates" / "kindshield-tox-3.0"


def test_candidate_loads_and_scores_both_languages():
    model = ToxicityModel.load(CANDIDATE, threads=1)
    assert model.version.startswith("3.0.0-rc")
    abusive, benign = model.analyze(["You are a worthless idiot.", "Thanks, see you at the meeting."])
    assert abusive.toxic and abusive.language == "en"
    assert not benign.toxic
    (chinese,) = model.analyze(["你就是个废物，滚出去"])
    assert chinese.language == "zh" and chinese.toxic


def test_candidate_is_not_the_default_model():
    assert default_model_dir().resolve() != CANDIDATE
    assert "kindshield-tox-3.0" not in str(default_model_dir())

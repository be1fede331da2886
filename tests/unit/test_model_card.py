"""training.model_card: the training paragraph names every stage a model came through."""
from training.model_card import EARLIER_STAGES, training_paragraph

STAGE_META = {"steps": 3576, "train_examples": 127462, "lr": 4e-5, "seed": 31, "minutes": 62.0,
              "device": "cpu", "threads": 2, "splice": 0.3}


def test_one_stage_run_has_no_chain():
    text = training_paragraph(dict(STAGE_META, init=None))
    assert text.startswith("Training in one stage")
    assert "3,576 steps" in text and "30% of texts joined" in text


def test_continued_run_lists_every_earlier_stage_in_order():
    last = "kindshield-tox-2.2 (python -m training.recover)"
    text = training_paragraph(dict(STAGE_META, init=last))
    chain = []
    init = last
    while init in EARLIER_STAGES:
        what, init = EARLIER_STAGES[init]
        chain.insert(0, what)
    assert text.startswith(f"Training in {'three' if len(chain) == 2 else len(chain) + 1} stages")
    positions = [text.index(what) for what in chain]
    assert positions == sorted(positions)
    assert f"Stage {len(chain) + 1} starts from the weights stage {len(chain)} shipped" in text


def test_an_averaged_model_says_its_weights_are_not_the_last_step():
    plain = training_paragraph(dict(STAGE_META))
    soup = training_paragraph(dict(STAGE_META, average="equal-weight average of the stage's start and end"))
    assert "average" not in plain
    assert "shipped weights are the equal-weight average of the stage's start and end" in soup


def test_an_unknown_starting_point_is_named_as_given():
    text = training_paragraph(dict(STAGE_META, init="runs/custom/init.pt"))
    assert "Stage 1: runs/custom/init.pt." in text

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


def test_compare_command_puts_this_model_first_and_every_earlier_one_beside_it():
    from training.model_card import EARLIER_MODELS, compare_command

    lines = compare_command({"name": "kindshield-tox", "version": "2.5.0"})
    joined = " ".join(lines)
    first = next(line for line in lines if line.startswith("python -m training.compare"))
    assert first.endswith("--model 2.5=onnx_models/kindshield-tox-2.5 \\")
    for name, commit, path, dest in EARLIER_MODELS:
        assert f"git archive {commit} {path} | tar -x -C {dest}" in joined
        assert f"--model {name}={dest}/{path}" in joined
    # the shipped model is never also extracted from history as an "earlier" row
    assert "--model 2.4=onnx_models" in " ".join(compare_command({"name": "kindshield-tox", "version": "2.4.0"}))
    assert "prev24" not in " ".join(compare_command({"name": "kindshield-tox", "version": "2.4.0"}))
    assert "prev24" in " ".join(compare_command({"name": "kindshield-tox", "version": "2.5.0"}))


def test_earlier_models_are_in_the_history_the_card_names():
    import subprocess
    from pathlib import Path

    import pytest

    from training.model_card import EARLIER_MODELS

    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists() or (root / ".git" / "shallow").exists():
        pytest.skip("needs a full git checkout")
    for _, commit, path, _ in EARLIER_MODELS:
        found = subprocess.run(["git", "cat-file", "-e", f"{commit}:{path}/model.onnx"], cwd=root)
        assert found.returncode == 0, (commit, path)

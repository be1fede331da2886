"""training.average: weight interpolation between networks of one shape (plumbing, small layers)."""
import pytest

torch = pytest.importorskip("torch", reason="training extra not installed (pip install -e '.[train]')")


def _net(seed: int):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 2))
    net.register_buffer("position_ids", torch.arange(10))
    return net


def test_weighted_average_lies_between_the_ends():
    from training.average import average_states

    a, b = _net(1).state_dict(), _net(2).state_dict()
    mid = average_states([a, b], [3.0, 1.0])
    for key in ("0.weight", "1.weight", "1.bias"):
        torch.testing.assert_close(mid[key], 0.75 * a[key] + 0.25 * b[key])
    assert torch.equal(mid["position_ids"], a["position_ids"])
    assert mid["position_ids"].dtype == torch.long


def test_mismatched_networks_are_refused():
    from training.average import average_states

    a = _net(1).state_dict()
    other = dict(a, **{"1.weight": torch.zeros(3, 4)})
    with pytest.raises(ValueError, match="shapes differ"):
        average_states([a, other], [1.0, 1.0])
    with pytest.raises(ValueError, match="differ in keys"):
        average_states([a, {k: v for k, v in a.items() if k != "1.bias"}], [1.0, 1.0])
    shifted = dict(a, position_ids=a["position_ids"] + 1)
    with pytest.raises(ValueError, match="integer tensors differ"):
        average_states([a, shifted], [1.0, 1.0])


def test_cli_reads_checkpoints_and_plain_state_dicts(tmp_path):
    from training.average import main

    a, b = _net(1), _net(2)
    torch.save(a.state_dict(), tmp_path / "init.pt")
    torch.save({"model": b.state_dict(), "step": 7}, tmp_path / "checkpoint.pt")
    main([str(tmp_path / "init.pt"), str(tmp_path / "checkpoint.pt"), "--out", str(tmp_path / "soup" / "final.pt")])
    soup = _net(3)
    soup.load_state_dict(torch.load(tmp_path / "soup" / "final.pt"))
    torch.testing.assert_close(soup[1].bias, (a[1].bias + b[1].bias) / 2)


def test_a_tensor_shared_by_every_state_is_kept_bit_for_bit():
    # A frozen embedding table: 0.65 * E + 0.35 * E drifts from E by rounding, and the
    # shipped int8 table would then no longer round-trip through training.recover.
    from training.average import average_states

    a, b = _net(1).state_dict(), _net(2).state_dict()
    b["0.weight"] = a["0.weight"].clone() * 0.1 + 0.123456789
    a["0.weight"] = b["0.weight"].clone()
    mid = average_states([a, b], [0.65, 0.35])
    assert torch.equal(mid["0.weight"], a["0.weight"])
    assert not torch.equal(mid["1.weight"], a["1.weight"])

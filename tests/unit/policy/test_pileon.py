from datetime import datetime, timedelta, timezone

from kindshield_server.policy.pileon import (
    Baseline,
    Episode,
    HostileEvent,
    PileOnConfig,
    assess,
    hash_sender,
    notice_content,
    update_baseline,
)

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
CFG = PileOnConfig()


def ev(minute, sender, score=0.9):
    return HostileEvent(T0 + timedelta(minutes=minute), score, f"h{sender}")


def run(stream, cfg=CFG, baseline=None):
    """Feed events one at a time, as the server does; return notice times."""
    episode = None
    seen = []
    notices = []
    for e in stream:
        seen.append(e)
        a = assess(seen, e.at, cfg, baseline, episode)
        episode = a.episode
        if a.raise_notice:
            notices.append(e.at)
    return notices, episode


def test_below_thresholds_no_notice():
    # 9 items from 5 senders: not enough items
    assert run([ev(i, i % 5) for i in range(9)])[0] == []
    # 12 items from 4 senders: not enough senders
    assert run([ev(i, i % 4) for i in range(12)])[0] == []
    # 10 items from 5 senders spread over 2 hours
    assert run([ev(i * 12, i % 5) for i in range(10)])[0] == []


def test_pile_on_raises_exactly_one_notice_while_it_continues():
    stream = [ev(i * 0.5, i % 7) for i in range(200)]  # 100 minutes of hostility
    notices, episode = run(stream)
    assert len(notices) == 1
    assert notices[0] == stream[9].at
    assert episode is not None


def test_new_notice_after_quiet_period():
    first = [ev(i, i % 5) for i in range(10)]
    second = [ev(120 + i, i % 5) for i in range(10)]
    notices, _ = run(first + second)
    assert len(notices) == 2


def test_no_new_notice_if_pause_shorter_than_quiet_period():
    first = [ev(i, i % 5) for i in range(10)]
    second = [ev(25 + i, 10 + i % 5) for i in range(10)]
    notices, _ = run(first + second)
    assert len(notices) == 1


def test_renotify_after_long_campaign():
    cfg = PileOnConfig(renotify_after=timedelta(hours=1))
    stream = [ev(i, i % 6) for i in range(150)]
    assert len(run(stream, cfg)[0]) == 3  # at 9, 69, 129 minutes


def test_configurable():
    cfg = PileOnConfig.from_mapping({"min_items": 3, "min_senders": 2, "window_minutes": 5})
    assert cfg.window == timedelta(minutes=5) and cfg.min_items == 3
    assert len(run([ev(0, 1), ev(1, 2), ev(2, 1)], cfg)[0]) == 1


def test_baseline_rule():
    quiet_user = Baseline(rate_per_hour=0.01, updated_at=T0, first_seen=T0 - timedelta(days=30))
    stream = [ev(i, i % 3) for i in range(6)]
    notices, _ = run(stream, baseline=quiet_user)
    assert len(notices) == 1
    a = assess(stream, stream[-1].at, CFG, quiet_user, None)
    assert a.rule == "baseline"
    busy_user = Baseline(rate_per_hour=5.0, updated_at=T0, first_seen=T0 - timedelta(days=30))
    assert run(stream, baseline=busy_user)[0] == []
    new_user = Baseline(rate_per_hour=0.01, updated_at=T0, first_seen=T0 - timedelta(hours=1))
    assert run(stream, baseline=new_user)[0] == []


def test_update_baseline_decays():
    b = update_baseline(None, [T0 + timedelta(hours=i) for i in range(10)], CFG)
    assert b.first_seen == T0 and b.rate_per_hour > 0
    later = b.decayed(T0 + timedelta(days=30), CFG.baseline_tau)
    assert later < b.rate_per_hour / 10
    assert Baseline.from_dict(b.to_dict()) == b


def test_episode_serialises_and_sender_hash_is_per_recipient():
    e = Episode(T0, T0, T0, "n1")
    assert Episode.from_dict(e.to_dict()) == e
    assert hash_sender("alice", "r1") == hash_sender("alice", "r1")
    assert hash_sender("alice", "r1") != hash_sender("alice", "r2")
    assert "alice" not in hash_sender("alice", "r1")


def test_notice_content_has_no_text_or_ids():
    stream = [ev(i, i % 5) for i in range(10)]
    a = assess(stream, stream[-1].at, CFG, None, None)
    n = notice_content(a, CFG)
    assert n["recommended_action"] == "one_click_protection"
    assert n["evidence"]["items"] == 10 and n["evidence"]["senders"] == 5
    assert "h1" not in str(n)

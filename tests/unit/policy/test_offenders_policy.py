from datetime import datetime, timedelta, timezone

import pytest

from kindshield_server.policy.offenders import (
    FlagState,
    OffenderPolicy,
    clears_at,
    max_severity,
    on_hostile,
    recipient_pseudonym,
    review,
    sender_pseudonym,
    status,
    threshold_met_until,
)

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
POL = OffenderPolicy()   # 5 recipients in 7 days
DAY = timedelta(days=1)


def latest(*day_offsets):
    return {f"r{i}": T0 + timedelta(days=d) for i, d in enumerate(day_offsets)}


def test_pseudonyms_are_keyed_and_separate_senders_from_recipients():
    a = sender_pseudonym("u-42", "secret")
    assert a == sender_pseudonym("u-42", "secret") and len(a) == 32 and "u-42" not in a
    assert a != sender_pseudonym("u-42", "other secret") and a != sender_pseudonym("u-43", "secret")
    assert recipient_pseudonym(42, "secret") != sender_pseudonym("42", "secret")


def test_threshold_holds_until_the_fifth_latest_recipient_leaves_the_window():
    assert threshold_met_until(latest(0, 0, 0, 0).values(), POL) is None
    assert threshold_met_until(latest(0, 1, 2, 3, 4, 5).values(), POL) == T0 + DAY + 7 * DAY


def test_flag_is_raised_once_then_clears_a_window_after_the_threshold_stops_holding():
    state, flagged = on_hostile(FlagState(), latest(0, 0, 0, 0), T0, POL)
    assert not flagged and status(state, T0, POL) == "not_flagged"
    state, flagged = on_hostile(state, latest(0, 0, 0, 0, 0), T0, POL)
    assert flagged and status(state, T0, POL) == "flagged"
    state, again = on_hostile(state, latest(0, 0, 0, 0, 0, 0), T0 + DAY, POL)
    assert not again
    assert clears_at(state, POL) == T0 + 14 * DAY
    assert status(state, T0 + 14 * DAY - timedelta(seconds=1), POL) == "flagged"
    assert status(state, T0 + 14 * DAY, POL) == "cleared"
    # hostile to five within a window again after clearing: a new flag
    state, flagged = on_hostile(state, latest(20, 20, 20, 20, 20), T0 + 20 * DAY, POL)
    assert flagged and state.flagged_at == T0 + 20 * DAY


def test_review_keeps_the_flag_unless_no_action_and_reflags_only_for_new_hostility():
    flagged, _ = on_hostile(FlagState(), latest(0, 0, 0, 0, 0), T0, POL)
    kept = review(flagged, "muted", T0 + DAY)
    assert status(kept, T0 + 100 * DAY, POL) == "reviewed" and clears_at(kept, POL) is None
    let_go = review(flagged, "no_action", T0 + DAY)
    assert status(let_go, T0 + 2 * DAY, POL) == "reviewed" and status(let_go, T0 + 14 * DAY, POL) == "cleared"
    # the same five recipients (their items predate the review) do not re-flag ...
    same, raised = on_hostile(kept, latest(0, 0, 0, 0, 2), T0 + 2 * DAY, POL)
    assert not raised and status(same, T0 + 2 * DAY, POL) == "reviewed"
    # ... five recipients hit after the review do
    new, raised = on_hostile(kept, latest(3, 3, 3, 3, 3), T0 + 3 * DAY, POL)
    assert raised and status(new, T0 + 3 * DAY, POL) == "flagged"
    with pytest.raises(ValueError):
        review(flagged, "banned", T0)


def test_policy_and_severity_helpers():
    with pytest.raises(ValueError):
        OffenderPolicy(min_recipients=0)
    with pytest.raises(ValueError):
        OffenderPolicy(window=timedelta(0))
    assert max_severity(["low", "high", "medium"]) == "high" and max_severity([]) == "none"

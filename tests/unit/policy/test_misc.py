from datetime import date, datetime, timezone

from kindshield_server.policy.stats import COUNTERS, heeded_rate, series
from kindshield_server.policy.transparency import redact


def test_redact_removes_handles_urls_emails_numbers():
    t = "@troll99 said go away https://x.com/a/b see www.example.org mail a.b@c.com call +86 138 0013 8000 //@某人: 转发"
    r = redact(t)
    for gone in ("troll99", "x.com", "example.org", "a.b@c.com", "138", "某人"):
        assert gone not in r
    assert "go away" in r and "[handle]" in r and "[link]" in r


def test_redact_catches_other_tlds_slash_names_and_spelled_out_emails():
    t = ("see victim.example.de/profile and shop.example.museum, u/victim_user and /r/victimsub, "
         "write to victim (at) gmail (dot) com or victim [at] mail [dot] example [dot] org or victim at gmail dot com")
    r = redact(t)
    for gone in ("victim.example", "example.de", "museum", "victim_user", "victimsub", "gmail", "mail [dot]",
                 "victim at"):
        assert gone not in r, (gone, r)
    assert "look at this dot" in redact("look at this dot pattern")   # ordinary words stay
    assert "e.g. a" in redact("e.g. a sentence. Another one.")


def test_series_zero_fills_and_totals():
    now = datetime(2025, 3, 10, 12, tzinfo=timezone.utc)
    s = series([(date(2025, 3, 10), "blocked", 2), ("2025-03-09", "folded", 1), (date(2024, 1, 1), "blocked", 9)],
               now, 3)
    assert [d["date"] for d in s["days"]] == ["2025-03-08", "2025-03-09", "2025-03-10"]
    assert s["totals"]["blocked"] == 2 and s["totals"]["folded"] == 1
    assert set(COUNTERS) <= set(s["days"][0])
    assert heeded_rate({"nudges_shown": 4, "nudges_heeded": 1}) == 0.25
    assert heeded_rate({}) is None

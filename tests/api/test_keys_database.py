"""``kindshield-server keys create`` writes only to a database a running server uses, and says
which one (issue 33: without ``--data-dir`` it silently wrote to the default data directory's
database while the server ran on another). ``--offline`` writes anyway (before a first start)."""
from __future__ import annotations

import requests
from procs import root_conftest

base_env = root_conftest().base_env
run_cli = root_conftest().run_cli


def test_refuses_a_database_no_running_server_uses(live_server, tmp_path):
    other = tmp_path / "other-data"          # e.g. the default data dir, when --data-dir was forgotten
    env = base_env(other)
    refused = run_cli(env, "keys", "create", "--name", "lost-key", check=False)
    assert refused.returncode == 1, refused.stderr
    assert refused.stdout.strip() == ""    # no key printed
    assert "no running Kindshield server uses the database" in refused.stderr
    assert str(other / "kindshield.db") in refused.stderr
    assert "--data-dir" in refused.stderr and "--offline" in refused.stderr
    assert not (other / "kindshield.db").exists(), "the refused command created a database"

    # the same command pointed at the running server's database works at once, and says so
    made = run_cli(live_server.env, "keys", "create", "--name", "found-key")
    key = made.stdout.strip()
    assert key.startswith("ks_")
    assert str(live_server.db_path) in made.stderr
    assert "the running server uses this database" in made.stderr
    assert requests.post(live_server.url("/v1/analyze"), json={"texts": ["hi"]},
                         headers={"Authorization": f"Bearer {key}"}, timeout=60).status_code == 200


def test_offline_writes_and_names_the_database(live_server, tmp_path):
    other = tmp_path / "before-first-start"
    env = base_env(other)
    made = run_cli(env, "keys", "create", "--name", "early", "--offline")
    key = made.stdout.strip()
    assert key.startswith("ks_")
    assert (other / "kindshield.db").is_file()
    assert str(other / "kindshield.db") in made.stderr
    assert "no running server uses this database" in made.stderr and f"--data-dir {other}" in made.stderr
    # written to that database only: the running server (another database) does not know the key
    assert requests.post(live_server.url("/v1/analyze"), json={"texts": ["hi"]},
                         headers={"Authorization": f"Bearer {key}"}, timeout=60).status_code == 401
    # a second create on the now-existing database is still refused while no server uses it
    again = run_cli(env, "keys", "create", "--name", "early-2", check=False)
    assert again.returncode == 1 and "no running Kindshield server" in again.stderr

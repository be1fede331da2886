"""``kindshield keys`` (admin key) and ``--subject`` (platform keys), against the real server."""
from __future__ import annotations

import json


def test_keys_create_list_rotate_revoke_and_act_for_subjects(cli, sdk_server):
    admin = sdk_server.admin_key
    made = cli("keys", "create", "cli-platform", "--scope", "platform", "--json", key=admin)
    assert made.returncode == 0, made.err
    platform_key = json.loads(made.out)["key"]
    listed = json.loads(cli("--json", "keys", "list", key=admin).out)
    assert [k["scopes"] for k in listed if k["name"] == "cli-platform"] == [["platform"]]
    assert all(k.get("key") is None for k in listed)

    on = cli("--subject", "cli-user-1", "protect", "on", "--hours", "24", "--json", key=platform_key)
    assert on.returncode == 0, on.err
    one = json.loads(cli("protect", "status", "--json", key=platform_key, env={"KINDSHIELD_SUBJECT": "cli-user-1"}).out)
    two = json.loads(cli("protect", "status", "--json", "--subject", "cli-user-2", key=platform_key).out)
    assert one["lockdown_active"] is True and two["lockdown_active"] is False

    missing = cli("--json", "protect", "status", key=platform_key)
    assert missing.returncode == 3 and json.loads(missing.err)["code"] == "subject_required"
    bad = cli("--subject", "two words", "protect", "status", key=platform_key)
    assert bad.returncode == 2 and "subject" in bad.err

    rotated = cli("keys", "rotate", "cli-platform", key=admin)
    assert rotated.returncode == 0 and rotated.out.strip().startswith("ks_") and rotated.out.strip() != platform_key
    assert cli("--subject", "cli-user-1", "protect", "status", key=platform_key).returncode == 4
    assert cli("keys", "revoke", "cli-platform", key=admin).returncode == 0
    assert cli("--subject", "cli-user-1", "protect", "status", key=rotated.out.strip()).returncode == 4
    assert cli("keys", "list", key=platform_key).returncode == 4

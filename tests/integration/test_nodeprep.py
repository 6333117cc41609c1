"""Usernames land in the same account files as when `prosodyctl register` gets them raw.

meetgate normalises names itself (libidn); Debian's Prosody uses ICU. Any
difference would make meetgate create one account and look for another.
"""

import os

from conftest import DOMAIN, chown_to_prosody

TRICKY_NAMES = ["Alice", "ÄBC", "ß", "ﬀ", "ǅ", "İstanbul", "zero\u200bwidth",
                "MiXeD.Case-1_x"]


def test_names_match_prosodyctl_register(stack):
    stack.write_users({name: f"pw-{i}" for i, name in enumerate(TRICKY_NAMES)})
    reference_data = os.path.join(stack.root, "reference-data")
    reference_config = os.path.join(stack.root, "reference", "prosodyctl.cfg.lua")
    os.makedirs(reference_data)
    chown_to_prosody(reference_data)
    render = stack.meetgate("render", "--only", "prosody", env=stack.env(
        MEETGATE_DATA_PATH=reference_data, MEETGATE_PROSODY_CONFIG=reference_config))
    assert render.returncode == 0, str(render)

    run = stack.sync()
    for i, name in enumerate(TRICKY_NAMES):
        stack.register(name, DOMAIN, f"pw-{i}", config=reference_config)

    assert run.returncode == 0, str(run)
    assert run.summary["created"] == len(TRICKY_NAMES)
    assert stack.accounts() == stack.accounts(data=reference_data)
    assert len(stack.accounts()) == len(TRICKY_NAMES)
    assert {"alice", "äbc", "ss", "ff", "zerowidth"} <= stack.accounts()


def test_unchanged_tricky_names_make_no_calls(stack):
    stack.write_users({name: f"pw-{i}" for i, name in enumerate(TRICKY_NAMES)})
    assert stack.sync().returncode == 0
    stack.clear_calls()

    run = stack.sync()

    assert run.returncode == 0, str(run)
    assert run.summary["unchanged"] == len(TRICKY_NAMES)
    assert stack.calls() == []

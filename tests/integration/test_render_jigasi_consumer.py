"""The jigasi target's goldens, read by java.util.Properties (as Jigasi loads
sip-communicator.properties) through consumers/ReadProperties.java: the account keys,
and the password byte for byte.

The unit tests (tests/unit/render/jigasi_properties_test.cpp) prove the patcher writes
these goldens; this proves Java reads them so.
"""

import os

import pytest

from java_consumer import compile_consumer

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "render",
                    "jigasi")
USER_ID = "org.jitsi.jigasi.xmpp.acc.USER_ID"
PASS = "org.jitsi.jigasi.xmpp.acc.PASS"
ANONYMOUS_AUTH = "org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH"
ALWAYS_TRUST = "net.java.sip.communicator.service.gui.ALWAYS_TRUST_MODE_ENABLED"
PASSWORD = "a=b:c\\d #x"
HARD_PASSWORD = " =lead:\\ #!\u00e9\u20ac\U0001f600"


@pytest.fixture(scope="module")
def properties(tmp_path_factory):
    return compile_consumer("ReadProperties.java", tmp_path_factory.mktemp("read-properties"))


def read(properties, path):
    return properties.read("ReadProperties", str(path))


def keys(user_id, password, anonymous, trust=None):
    return {USER_ID: user_id, PASS: password, ANONYMOUS_AUTH: anonymous, ALWAYS_TRUST: trust}


def without_count(values):
    return {key: value for key, value in values.items() if key != "count"}


@pytest.mark.parametrize("golden, expected", [
    ("debian.auth.properties", keys("jigasi@auth.meet.test", PASSWORD, "false")),
    ("debian.guests.properties", keys("jigasi@guest.meet.test", PASSWORD, "true")),
    ("debian.trust.properties", keys("jigasi@auth.meet.test", PASSWORD, "false", "true")),
    ("existing.auth.properties", keys("jigasi@auth.meet.test", HARD_PASSWORD, "false")),
    ("existing.off.properties", keys(None, None, None)),
    ("debian.properties", keys(None, None, None)),
])
def test_goldens_read_as_meant(properties, golden, expected):
    assert without_count(read(properties, os.path.join(DATA, golden))) == expected


def test_only_the_account_keys_were_added(properties):
    before = read(properties, os.path.join(DATA, "debian.properties"))
    after = read(properties, os.path.join(DATA, "debian.trust.properties"))

    assert after["count"] == before["count"] + 4


def test_the_password_survives_exactly(properties):
    values = read(properties, os.path.join(DATA, "existing.auth.properties"))

    assert values[PASS].encode("utf-8") == HARD_PASSWORD.encode("utf-8")


def appended(tmp_path, base):
    # What the jigasi image does: cat custom-sip-communicator.properties >> the file.
    with open(os.path.join(DATA, base), "rb") as image, \
            open(os.path.join(DATA, "custom-sip-communicator.properties"), "rb") as custom:
        content = image.read() + custom.read()
    path = tmp_path / "sip-communicator.properties"
    path.write_bytes(content)
    return path


def test_docker_block_sets_the_account(properties, tmp_path):
    values = read(properties, appended(tmp_path, "docker-sip-communicator.properties"))

    assert without_count(values) == keys("jigasi@auth.meet.jitsi", PASSWORD, "false")


def test_docker_block_overrides_the_images_unescaped_password(properties, tmp_path):
    image = read(properties, os.path.join(DATA, "docker-sip-communicator-auth.properties"))
    values = read(properties, appended(tmp_path, "docker-sip-communicator-auth.properties"))

    # The image writes JIGASI_XMPP_PASSWORD as it is, so Java drops its backslash.
    assert image[PASS] == "a=b:cd #x"
    assert values[PASS] == PASSWORD

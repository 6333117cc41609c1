"""The jicofo target's goldens, read by Typesafe Config (the HOCON library Jicofo
uses) through consumers/ReadHocon.java: jicofo.authentication.* reads as meant.

The unit tests (tests/unit/render/jicofo_config_test.cpp) prove the patcher writes
these goldens; this proves Jicofo's parser reads them so.
"""

import os
import shutil

import pytest

from java_consumer import TYPESAFE_CONFIG_JAR, compile_consumer

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "render",
                    "jicofo")
DAY = 24 * 3600

SECURE_DOMAIN = {"enabled": True, "type": "XMPP", "login-url": "meet.test",
                 "enable-auto-login": True, "authentication-lifetime-seconds": DAY}
# What Jicofo's reference.conf leaves when the file sets nothing.
DISABLED = {"enabled": False, "type": "NONE", "login-url": None,
            "enable-auto-login": True, "authentication-lifetime-seconds": DAY}


@pytest.fixture(scope="module")
def hocon(tmp_path_factory):
    return compile_consumer("ReadHocon.java", tmp_path_factory.mktemp("read-hocon"),
                            [TYPESAFE_CONFIG_JAR])


def authentication(hocon, *args):
    read = hocon.read("ReadHocon", *args)
    keys = read.pop("jicofo-keys")
    return read, keys


@pytest.mark.parametrize("golden", [
    "debian.auth.conf", "debian-secure-domain.auth.conf", "no-jicofo.auth.conf"])
def test_secure_domain_goldens_turn_authentication_on(hocon, golden):
    read, keys = authentication(hocon, os.path.join(DATA, golden))

    assert read == SECURE_DOMAIN
    assert "authentication" in keys


def test_the_debian_files_other_settings_survive(hocon):
    _, before = authentication(hocon, os.path.join(DATA, "debian.conf"))
    _, after = authentication(hocon, os.path.join(DATA, "debian.auth.conf"))

    assert set(after) == set(before) | {"authentication"}


def test_jwt_settings_replace_the_old_values(hocon):
    read, keys = authentication(hocon, os.path.join(DATA, "mixed.jwt.conf"))

    assert read == {"enabled": True, "type": "JWT", "login-url": "meet.test",
                    "enable-auto-login": False, "authentication-lifetime-seconds": DAY // 2}
    assert set(keys) == {"bridge", "authentication", "conference", "xmpp"}


@pytest.mark.parametrize("golden", [
    "debian.conf", "debian-secure-domain.off.conf", "mixed.off.conf"])
def test_auth_off_goldens_read_as_disabled(hocon, golden):
    read, _ = authentication(hocon, os.path.join(DATA, golden))

    assert read == DISABLED


def test_inputs_were_not_already_what_the_goldens_say(hocon):
    handbook, _ = authentication(hocon, os.path.join(DATA, "debian-secure-domain.conf"))
    mixed, _ = authentication(hocon, os.path.join(DATA, "mixed.conf"))

    assert handbook["enabled"] is True and handbook["login-url"] == "meet.test"
    assert mixed == dict(DISABLED, **{"login-url": "old.meet.test"})


def test_docker_custom_block_wins_through_the_images_include(hocon, tmp_path):
    # The image's jicofo.conf ends with `include "custom-jicofo.conf"`, resolved next
    # to it.
    shutil.copy(os.path.join(DATA, "docker-jicofo.conf"), tmp_path / "jicofo.conf")
    shutil.copy(os.path.join(DATA, "custom-jicofo.conf"), tmp_path / "custom-jicofo.conf")

    read, keys = authentication(hocon, str(tmp_path / "jicofo.conf"))

    assert read == dict(SECURE_DOMAIN, **{"login-url": "meet.jitsi"})
    assert {"bridge", "conference", "xmpp", "authentication"} <= set(keys)


def test_docker_custom_block_merged_over_the_base(hocon):
    read, _ = authentication(hocon, "--over", os.path.join(DATA, "custom-jicofo.conf"),
                             os.path.join(DATA, "docker-jicofo.conf"))

    assert read == dict(SECURE_DOMAIN, **{"login-url": "meet.jitsi"})

"""meetgate render --layout debian: the how-to's steps patched into the files the
Debian packages install, under --root, and read back by their real consumers.

Prosody: the patched host file passes `prosodyctl check config`, a server loading it
lets a registered user log in on the main host (internal_hashed) and a guest log in
anonymously on the guest host.
"""

import os
import shutil
import subprocess

from conftest import CLEAN_PATH, DOMAIN, GUEST_DOMAIN, PROSODYCTL
from prosody_server import ProsodyServer, chown_to_prosody, lua_string
from xmpp_login import login, login_anonymous

HERE = os.path.dirname(os.path.abspath(__file__))
HOST_INPUT = os.path.join(HERE, "..", "data", "render", "prosody", "host.cfg.lua")


def debian_root(stack):
    """A copy of / holding the host file jitsi-meet-prosody installs."""
    root = os.path.join(stack.root, "rootfs")
    conf = os.path.join(root, "etc", "prosody", "conf.avail")
    os.makedirs(conf)
    shutil.copy(HOST_INPUT, os.path.join(conf, f"{DOMAIN}.cfg.lua"))
    return root, os.path.join(conf, f"{DOMAIN}.cfg.lua")


def render(stack, root, *args):
    return stack.meetgate("render", "--layout", "debian", "--only", "prosody", "--root", root,
                          *args, env=stack.env(PROSODY_GUEST_AUTH_TYPE="anonymous"))


def server_include(stack, host_file):
    """What the Debian server's main config gives the host file: a data path."""
    include = os.path.join(stack.root, "debian-include.cfg.lua")
    with open(include, "w", encoding="utf-8") as f:
        f.write(f"data_path = {lua_string(stack.data)}\nInclude {lua_string(host_file)}\n")
    for path in (include, host_file):
        chown_to_prosody(path)
    return include


def test_prosody_host_is_patched_once_and_read_by_prosody(bare_stack):
    stack = bare_stack
    root, host_file = debian_root(stack)

    first = render(stack, root)
    second = render(stack, root)
    dry = render(stack, root, "--dry-run")

    assert first.returncode == 0, str(first)
    assert first.events_named("render_written"), str(first)
    assert second.events_named("render_unchanged"), str(second)
    assert dry.returncode == 0 and dry.stdout == "", str(dry)
    text = open(host_file, encoding="utf-8").read()
    assert 'authentication = "internal_hashed" -- do not delete me' in text
    assert f'VirtualHost "{GUEST_DOMAIN}"\n    authentication = "anonymous"' in text

    server = ProsodyServer(stack.root, server_include(stack, host_file))
    server.write_config()
    check = subprocess.run([PROSODYCTL, "--config", server.config_path, "check", "config"],
                           capture_output=True, text=True, timeout=60, env={"PATH": CLEAN_PATH})
    assert check.returncode == 0, check.stdout + check.stderr

    stack.server = server.start()
    stack.register("alice", DOMAIN, "alice pw", config=server.config_path)
    assert login(f"alice@{DOMAIN}", "alice pw", server.port)
    assert not login(f"alice@{DOMAIN}", "wrong", server.port)
    assert login_anonymous(GUEST_DOMAIN, server.port) is not None
    assert login_anonymous(DOMAIN, server.port) is None  # the main host wants a password


def test_a_file_it_does_not_understand_is_left_untouched(bare_stack):
    stack = bare_stack
    root, host_file = debian_root(stack)
    with open(host_file, "w", encoding="utf-8") as f:
        f.write('VirtualHost "other.test"\n    authentication = "anonymous"\n')
    before = os.stat(host_file)

    run = render(stack, root)

    assert run.returncode == 2, str(run)
    assert f'{host_file}: no VirtualHost "{DOMAIN}"' in run.stderr
    assert os.stat(host_file).st_mtime_ns == before.st_mtime_ns


def test_a_symlinked_host_file_is_patched_through_the_link(bare_stack):
    stack = bare_stack
    root, host_file = debian_root(stack)
    enabled = os.path.join(root, "etc", "prosody", "conf.d")
    os.makedirs(enabled)
    link = os.path.join(enabled, f"{DOMAIN}.cfg.lua")
    os.symlink(host_file, link)

    run = stack.meetgate("render", "--layout", "debian", "--only", "prosody", "--root", root,
                         env=stack.env(MEETGATE_PROSODY_FILE=f"/etc/prosody/conf.d/{DOMAIN}.cfg.lua"))

    assert run.returncode == 0, str(run)
    assert os.path.islink(link)
    assert 'authentication = "internal_hashed"' in open(host_file, encoding="utf-8").read()


def test_backup_keeps_the_previous_file(bare_stack):
    stack = bare_stack
    root, host_file = debian_root(stack)
    original = open(host_file, "rb").read()

    run = render(stack, root, "--backup")

    assert run.returncode == 0, str(run)
    assert open(host_file + ".meetgate-bak", "rb").read() == original
    assert oct(os.stat(host_file + ".meetgate-bak").st_mode & 0o777) == "0o600"


# --- all four targets through the command, each read back by its consumer ---

DATA = os.path.join(HERE, "..", "data", "render")
DEBIAN_FILES = {
    "web": (os.path.join("web", "debian-config.js"), f"etc/jitsi/meet/{DOMAIN}-config.js"),
    "jicofo": (os.path.join("jicofo", "debian.conf"), "etc/jitsi/jicofo/jicofo.conf"),
    "jigasi": (os.path.join("jigasi", "debian.properties"),
               "etc/jitsi/jigasi/sip-communicator.properties"),
}
JIGASI_PASSWORD = "j1gasi pw = x:y\\z #"


def debian_install(stack):
    """A copy of / with all four files the Debian packages install."""
    root, host_file = debian_root(stack)
    files = {"prosody": host_file}
    for target, (ours, installed) in DEBIAN_FILES.items():
        path = os.path.join(root, installed)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copy(os.path.join(DATA, ours), path)
        files[target] = path
    return root, files


def test_every_debian_target_is_patched_and_read_by_its_consumer(bare_stack, tmp_path):
    from java_consumer import TYPESAFE_CONFIG_JAR, compile_consumer
    from test_render_web_consumer import read_hosts

    stack = bare_stack
    root, files = debian_install(stack)
    os.chmod(files["jigasi"], 0o644)
    env = stack.env(PROSODY_GUEST_AUTH_TYPE="anonymous", JIGASI_XMPP_PASSWORD=JIGASI_PASSWORD,
                    ENABLE_GUESTS="0")

    dry = stack.meetgate("render", "--layout", "debian", "--root", root, "--dry-run", env=env)
    run = stack.meetgate("render", "--layout", "debian", "--root", root, env=env)
    again = stack.meetgate("render", "--layout", "debian", "--root", root, env=env)

    assert run.returncode == 0, str(run)
    assert len(run.events_named("render_written")) == 4, str(run)
    assert len(again.events_named("render_unchanged")) == 4, str(again)
    assert "org.jitsi.jigasi.xmpp.acc.PASS=<hidden>" in dry.stdout, str(dry)
    assert stack.leaks([JIGASI_PASSWORD]) == []
    assert os.stat(files["jigasi"]).st_mode & 0o777 == 0o640

    hosts = read_hosts(files["web"])
    assert hosts["domain"] == DOMAIN and hosts["authdomain"] == DOMAIN
    assert "anonymousdomain" not in hosts  # guests off

    hocon = compile_consumer("ReadHocon.java", tmp_path / "hocon", [TYPESAFE_CONFIG_JAR])
    jicofo = hocon.read("ReadHocon", files["jicofo"])
    assert jicofo["enabled"] is True and jicofo["type"] == "XMPP", jicofo
    assert jicofo["login-url"] == DOMAIN

    properties = compile_consumer("ReadProperties.java", tmp_path / "properties")
    jigasi = properties.read("ReadProperties", files["jigasi"])
    assert jigasi["org.jitsi.jigasi.xmpp.acc.PASS"] == JIGASI_PASSWORD
    assert jigasi["org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH"] == "false"


def test_one_file_not_understood_stops_every_write(bare_stack):
    stack = bare_stack
    root, files = debian_install(stack)
    with open(files["jicofo"], "a", encoding="utf-8") as f:
        f.write("jicofo {\n}\n")  # a second jicofo block
    before = {target: open(path, "rb").read() for target, path in files.items()}

    run = stack.meetgate("render", "--layout", "debian", "--root", root,
                         env=stack.env(JIGASI_XMPP_PASSWORD="pw"))

    assert run.returncode == 2, str(run)
    assert files["jicofo"] in run.stderr
    assert {target: open(path, "rb").read() for target, path in files.items()} == before


def test_a_write_that_fails_leaves_every_file_as_it_was(bare_stack):
    """Files are staged beside their targets first; one that cannot be written (its
    directory cannot exist) means no rename at all. (docker-jitsi-meet layout, where a
    missing file is created, so the failure comes at the write, not the plan.)"""
    stack = bare_stack
    root = os.path.join(stack.root, "rootfs")
    config = os.path.join(root, "config")
    os.makedirs(config)
    files = {name: os.path.join(config, name)
             for name in ("custom-config.js", "custom-jicofo.conf")}
    for path in files.values():
        with open(path, "w", encoding="utf-8") as f:
            f.write("// the operator's own line\n")
    open(os.path.join(root, "not-a-directory"), "w").close()

    run = stack.meetgate(
        "render", "--only", "web,jicofo,jigasi", "--root", root,
        env=stack.env(JIGASI_XMPP_PASSWORD="pw",
                      MEETGATE_JIGASI_FILE="/not-a-directory/jigasi/sip.properties"))

    assert run.returncode == 1, str(run)
    assert "not-a-directory" in run.stderr
    for path in files.values():
        assert open(path, encoding="utf-8").read() == "// the operator's own line\n"
    assert sorted(os.listdir(config)) == sorted(files)  # no temp file left behind

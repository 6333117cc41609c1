"""Log in to an XMPP server on 127.0.0.1 with a real client (slixmpp).

login() and login_anonymous() run each attempt in a fresh /usr/bin/python3
(Debian's slixmpp is installed for that interpreter, and a fresh process keeps
asyncio state from leaking between attempts). The password travels on stdin,
never in argv.

As a program:  xmpp_login.py [--timeout S] JID PORT   (password on stdin;
exit 0 logged in, 1 refused, 2 could not talk to the server)
               xmpp_login.py --anonymous HOST PORT   (prints the JID it got)
"""

import os
import subprocess
import sys

PYTHON = "/usr/bin/python3"
HERE = os.path.abspath(__file__)


class LoginError(RuntimeError):
    """The server could not be reached or did not answer: neither yes nor no."""


def login(jid, password, port, timeout=10):
    """True when `jid` logs in with `password`, False when the server refuses."""
    result = _run([jid, str(port)], password, timeout)
    if result.returncode in (0, 1):
        return result.returncode == 0
    raise LoginError(f"login {jid} on port {port}: {result.stderr.strip()}")


def login_anonymous(host, port, timeout=10):
    """The full JID the server hands out for an ANONYMOUS login on `host`, or None."""
    result = _run(["--anonymous", host, str(port)], "", timeout)
    if result.returncode == 0:
        return result.stdout.strip()
    if result.returncode == 1:
        return None
    raise LoginError(f"anonymous login on {host}:{port}: {result.stderr.strip()}")


def _run(args, password, timeout):
    try:
        return subprocess.run(
            [PYTHON, HERE, "--timeout", str(timeout)] + args, input=password,
            capture_output=True, encoding="utf-8", errors="replace", timeout=timeout + 5,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    except subprocess.TimeoutExpired as e:
        raise LoginError(f"login helper did not finish within {timeout + 5} s") from e


def _attempt(jid, password, port, timeout, anonymous):
    """Exit code for one login: 0 logged in, 1 refused, 2 no answer."""
    import asyncio
    import logging
    import slixmpp

    logging.basicConfig(level=logging.CRITICAL)
    asyncio.set_event_loop(asyncio.new_event_loop())
    client = slixmpp.ClientXMPP(jid, password,
                                sasl_mech="ANONYMOUS" if anonymous else None)
    client["feature_mechanisms"].unencrypted_plain = True
    outcome = client.loop.create_future()

    def settle(code):
        if not outcome.done():
            outcome.set_result(code)

    client.add_event_handler("session_start", lambda _: settle(0))
    client.add_event_handler("failed_all_auth", lambda _: settle(1))
    client.add_event_handler("connection_failed", lambda _: settle(2))
    client.add_event_handler("disconnected", lambda _: settle(2))
    client.connect(address=("127.0.0.1", port), force_starttls=False,
                   disable_starttls=True)

    try:
        code = client.loop.run_until_complete(asyncio.wait_for(outcome, timeout))
    except asyncio.TimeoutError:
        print(f"no answer within {timeout} s", file=sys.stderr)
        return 2
    if code == 0 and anonymous:
        print(client.boundjid.full)
    if code == 2:
        print("connection failed or closed before authentication", file=sys.stderr)
    client.disconnect()
    client.loop.run_until_complete(asyncio.sleep(0.05))
    return code


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--anonymous", action="store_true",
                        help="SASL ANONYMOUS; the first argument is the host")
    parser.add_argument("jid")
    parser.add_argument("port", type=int)
    args = parser.parse_args(argv)

    password = "" if args.anonymous else sys.stdin.buffer.read().decode("utf-8")
    return _attempt(args.jid, password, args.port, args.timeout, args.anonymous)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

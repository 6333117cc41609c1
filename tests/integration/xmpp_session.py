"""Stay logged in to an XMPP server on 127.0.0.1 until the server ends the session.

LiveSession runs the client in its own /usr/bin/python3 process (Debian's slixmpp),
password on stdin, never in argv, and tells the test when the server dropped it.

As a program:  xmpp_session.py JID PORT   (password on stdin)
prints `online` once the session has started, then `offline [CONDITION]` when the
server closes it (CONDITION from its stream error, such as `reset` or
`not-authorized`), or `refused` / `failed` when it never got online.
"""

import os
import select
import subprocess
import sys
import time

PYTHON = "/usr/bin/python3"
HERE = os.path.abspath(__file__)


class LiveSession:
    """One logged-in client in a child process; stop() ends it if the server did not."""

    def __init__(self, jid, password, port):
        self.jid = jid
        self.process = subprocess.Popen(
            [PYTHON, HERE, jid, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, encoding="utf-8", errors="replace",
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        self.process.stdin.write(password)
        self.process.stdin.close()
        self.lines = []

    def _next_line(self, timeout):
        """The client's next line, or None when none came within `timeout` seconds."""
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.process.stdout.readline()
        if line:
            self.lines.append(line.strip())
        return line.strip() or None

    def wait_online(self, timeout=10):
        """True once the session started."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            line = self._next_line(left)
            if line == "online":
                return True
            if line is None or line in ("refused", "failed"):
                return False
        return False

    def wait_offline(self, timeout):
        """The stream error condition ("" if none) once the server dropped the
        session, or None when it is still online after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            line = self._next_line(left)
            if line is not None and line.startswith("offline"):
                return line[len("offline"):].strip()
            if line is None and self.process.poll() is not None:
                return ""
        return None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


def _stay(jid, password, port):
    import asyncio
    import logging
    import slixmpp

    logging.basicConfig(level=logging.CRITICAL)
    asyncio.set_event_loop(asyncio.new_event_loop())
    client = slixmpp.ClientXMPP(jid, password)
    client["feature_mechanisms"].unencrypted_plain = True
    client.auto_reconnect = False
    done = client.loop.create_future()
    state = {"online": False, "condition": ""}

    def say(text):
        print(text, flush=True)

    def started(_):
        state["online"] = True
        say("online")

    def stream_error(error):
        state["condition"] = error["condition"] or ""

    def ended(_):
        if not done.done():
            if state["online"]:
                say(f"offline {state['condition']}".strip())
            else:
                say("failed")
            done.set_result(0)

    def refused(_):
        say("refused")
        if not done.done():
            done.set_result(1)

    client.add_event_handler("session_start", started)
    client.add_event_handler("stream_error", stream_error)
    client.add_event_handler("failed_all_auth", refused)
    client.add_event_handler("connection_failed", ended)
    client.add_event_handler("disconnected", ended)
    client.connect(address=("127.0.0.1", port), force_starttls=False, disable_starttls=True)
    return client.loop.run_until_complete(done)


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jid")
    parser.add_argument("port", type=int)
    args = parser.parse_args(argv)
    password = sys.stdin.buffer.read().decode("utf-8")
    return _stay(args.jid, password, args.port)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

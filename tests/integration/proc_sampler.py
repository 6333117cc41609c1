"""Watches what a process's children show the rest of the machine: a thread reads
/proc/<pid>/cmdline and /proc/<pid>/environ of every descendant of one process every
few milliseconds and keeps each distinct pair it saw, for a leak check afterwards."""

import os

from fault_tools import BackgroundSampler


def children(pid):
    """The pids whose parent is `pid` (any of its threads)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found += [int(child) for child in f.read().split()]
        except OSError:
            pass
    return found


def descendants(pid):
    found, queue = [], children(pid)
    while queue:
        child = queue.pop()
        found.append(child)
        queue += children(child)
    return found


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:  # gone meanwhile, or a zombie's empty files
        return b""


class ChildSampler(BackgroundSampler):
    """Samples the descendants of `pid` from start() until stop(): `seen` holds every
    distinct (pid, argv bytes, environ bytes), `samples` how many sweeps were made."""

    def __init__(self, pid, interval=0.003):
        super().__init__(interval)
        self.pid, self.seen = pid, set()

    def sample(self):
        for child in descendants(self.pid):
            argv = read_bytes(f"/proc/{child}/cmdline")
            environ = read_bytes(f"/proc/{child}/environ")
            if argv or environ:
                self.seen.add((child, argv, environ))

    def argvs(self):
        """Each distinct argv seen, as a list of str."""
        return {tuple(a.decode("utf-8", "replace") for a in argv.split(b"\0") if a)
                for _, argv, _ in self.seen}

    def leaks(self, secret, unless_program=None):
        """"argv of <pid>" / "environ of <pid>" for every sample holding `secret` (str),
        but those whose argv[0] is `unless_program`: a child between fork and exec still
        shows its parent's argv and environment."""
        needle = secret.encode("utf-8")
        found = []
        for pid, argv, environ in self.seen:
            if unless_program and argv.split(b"\0")[0] == unless_program.encode():
                continue
            if needle in argv:
                found.append(f"argv of {pid}: {argv[:200]!r}")
            if needle in environ:
                found.append(f"environ of {pid}: {argv[:200]!r}")
        return found

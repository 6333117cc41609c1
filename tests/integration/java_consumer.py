"""Compiling and running the Java consumer checks in consumers/ (ReadHocon.java,
ReadProperties.java): compiled with javac into a temp dir at test time, run with java.

Debian packages: default-jdk-headless (javac, java) and, for ReadHocon,
libtypesafe-config-java (/usr/share/java/typesafe-config.jar, the HOCON library
Jicofo reads its config with).
"""

import json
import os
import shutil
import subprocess

import pytest

CONSUMERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "consumers")
TYPESAFE_CONFIG_JAR = "/usr/share/java/typesafe-config.jar"


class JavaConsumer:
    def __init__(self, classes, classpath):
        self.classes = classes
        self.classpath = classpath

    def read(self, main, *args):
        """Runs `main` with `args`; returns its JSON output, parsed."""
        run = subprocess.run(
            ["java", "-cp", os.pathsep.join([self.classes] + self.classpath), main, *args],
            capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        return json.loads(run.stdout)


def compile_consumer(source, out_dir, classpath=()):
    """Compiles consumers/<source> into out_dir, or skips saying what is missing."""
    for tool in ("javac", "java"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not found: install Debian's default-jdk-headless")
    for jar in classpath:
        if not os.path.exists(jar):
            pytest.skip(f"{jar} not found: install Debian's libtypesafe-config-java")
    built = subprocess.run(
        ["javac", "-d", str(out_dir), "-cp", os.pathsep.join(classpath) or ".",
         os.path.join(CONSUMERS, source)],
        capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return JavaConsumer(str(out_dir), list(classpath))

"""Starts a real `interlock serve` on 127.0.0.1 for the client tests."""

import os
import subprocess
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The shared folder beside the project ($INTERLOCK_SHARED, else ../shared).
SHARED = os.environ.get("INTERLOCK_SHARED", os.path.join(ROOT, "..", "shared"))


def interlock_binary():
    explicit = os.environ.get("INTERLOCK_BIN")
    if explicit:
        return explicit
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "interlock")


@pytest.fixture(scope="session")
def endpoint():
    binary = interlock_binary()
    if not os.path.exists(binary):
        pytest.fail(f"{binary} is missing: build it with `cargo build --release`")
    with tempfile.TemporaryDirectory() as store:
        proc = subprocess.Popen(
            [binary, "--store", store, "serve", "--bind", "127.0.0.1:0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "INTERLOCK_LOG": "warn"},
        )
        try:
            line = proc.stdout.readline()
            url = next(w for w in line.split() if w.startswith("http://"))
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)

"""What the bench scripts share."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def interlock_binary():
    """The release binary: $INTERLOCK_BIN, else $CARGO_TARGET_DIR (or target/)/release/interlock."""
    if os.environ.get("INTERLOCK_BIN"):
        return os.environ["INTERLOCK_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "interlock")

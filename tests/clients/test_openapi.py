"""The API's OpenAPI document holds: schemathesis, with every check,
generates requests from it (valid ones and, for negative testing, invalid
ones) against the real server and finds no answer that contradicts it.
The version and the seeds are fixed, so the same requests are sent every
run; schemathesis_hooks.py tells it how to write a SPARQL query."""

import json
import os
import subprocess
import sys
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.mark.parametrize("seed", [1, 2])
def test_schemathesis_finds_no_failure(endpoint, seed):
    base = endpoint.removesuffix("/sparql")
    schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    run = subprocess.run(
        [
            schemathesis,
            "run",
            f"{base}/api/openapi.json",
            "--url",
            base,
            "--checks",
            "all",
            "--max-examples",
            "60",
            "--seed",
            str(seed),
            "--no-color",
        ],
        cwd=HERE,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-6000:]
    # It really exercised the API: every operation the document lists, hundreds of requests.
    with urllib.request.urlopen(f"{base}/api/openapi.json") as r:
        operations = sum(len(ops) for ops in json.load(r)["paths"].values())
    assert f"Tested: {operations}" in report, report[-3000:]
    generated = int(report.split(" generated")[0].rsplit("\n", 1)[-1].strip().split()[-1])
    assert generated > 300, report[-3000:]

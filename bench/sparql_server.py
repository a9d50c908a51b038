#!/usr/bin/env python3
"""Side-by-side latency and throughput of `interlock serve` and `oxigraph serve`.

Both servers get the same quads (the shipped data, dumped from an interlock
store) and the same query set (queries/*.rq plus two lookups), over HTTP GET
with `Accept: application/sparql-results+json`, driven by wrk: one
connection, then 16 concurrent connections. Whole figures are medians of
--runs runs. Not a test: run it by hand, see BENCHMARKS.md.

    python3 bench/sparql_server.py [--duration 5] [--runs 5]
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from common import ROOT, interlock_binary
OXIGRAPH_VERSION = "0.5.13"


def ensure_tools(venv):
    if not shutil.which("wrk"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        else:
            sys.exit("wrk is missing: apt-get install wrk")
    oxigraph = os.path.join(venv, "bin", "oxigraph")
    if not os.path.exists(oxigraph):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", f"oxigraph=={OXIGRAPH_VERSION}"], check=True)
    return oxigraph


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url):
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=1).read()
            return
        except Exception:
            time.sleep(0.05)
    sys.exit(f"{url} did not come up")


def query_set():
    queries = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "queries"))):
        if name.endswith(".rq"):
            with open(os.path.join(ROOT, "queries", name)) as f:
                queries[name[:-3]] = f.read()
    queries["lookup-by-label"] = (
        'SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> "Reed Hastings"@en }'
    )
    queries["count-triples"] = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    return queries


def wrk(url, connections, duration):
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
         "-H", "Accept: application/sparql-results+json", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def ms(label):
        m = re.search(label + r"\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url}: {errors.group(1)} error responses")
    return {"rps": rps, "avg_ms": ms("Latency"), "p50_ms": ms("50%"), "p99_ms": ms("99%")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--only", help="run only the queries whose name contains this")
    args = ap.parse_args()

    binary = interlock_binary()
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: cargo build --release")
    oxigraph = ensure_tools(os.path.join(ROOT, "bench", ".venv"))
    work = tempfile.mkdtemp()
    procs = []
    try:
        store = os.path.join(work, "interlock")
        subprocess.run([binary, "--store", store, "load", os.path.join(ROOT, "data")], check=True, capture_output=True)
        dump = os.path.join(work, "dump.nq")
        with open(dump, "wb") as f:
            subprocess.run([binary, "--store", store, "dump"], check=True, stdout=f)
        oxstore = os.path.join(work, "oxigraph")
        subprocess.run([oxigraph, "load", "--location", oxstore, "--file", dump], check=True, capture_output=True)

        p1, p2 = free_port(), free_port()
        procs.append(subprocess.Popen([binary, "--store", store, "serve", "--bind", f"127.0.0.1:{p1}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      env={**os.environ, "INTERLOCK_LOG": "error"}))
        procs.append(subprocess.Popen([oxigraph, "serve", "--location", oxstore, "--bind", f"127.0.0.1:{p2}",
                                       "--union-default-graph"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        servers = {"interlock": f"http://127.0.0.1:{p1}/sparql", "oxigraph": f"http://127.0.0.1:{p2}/query"}
        for url in servers.values():
            wait_until_up(url)

        results = {}
        for name, text in query_set().items():
            if args.only and args.only not in name:
                continue
            for connections in (1, 16):
                # Runs alternate between the servers (in turn first) so that
                # drift in the machine's speed affects both alike.
                runs = {server: [] for server in servers}
                for i in range(args.runs):
                    order = list(servers.items())
                    for server, url in order if i % 2 == 0 else reversed(order):
                        full = url + "?query=" + urllib.parse.quote(text)
                        runs[server].append(wrk(full, connections, args.duration))
                row = {server: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
                       for server, rs in runs.items()}
                results[f"{name} c={connections}"] = row
                i, o = row["interlock"], row["oxigraph"]
                print(f"{name:32} c={connections:<3} interlock {i['avg_ms']:8.3f} ms {i['rps']:9.0f} req/s | "
                      f"oxigraph {o['avg_ms']:8.3f} ms {o['rps']:9.0f} req/s | "
                      f"latency ratio {i['avg_ms'] / o['avg_ms']:.2f}, throughput ratio {i['rps'] / o['rps']:.2f}",
                      flush=True)
        for c in (1, 16):
            keys = [k for k in results if k.endswith(f"c={c}")]
            lat = statistics.geometric_mean(results[k]["interlock"]["avg_ms"] / results[k]["oxigraph"]["avg_ms"] for k in keys)
            thr = statistics.geometric_mean(results[k]["interlock"]["rps"] / results[k]["oxigraph"]["rps"] for k in keys)
            print(f"geometric mean c={c}: latency ratio {lat:.2f}, throughput ratio {thr:.2f}")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

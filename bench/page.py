#!/usr/bin/env python3
"""The investigator's page at scale: search server time at a million
entities, beside the same question asked in SPARQL on the same store; and
the time each view of the page takes to be ready in Chromium, on the seed
on the Norwegian and Irish registers imported, and on a generated world.

    python3 bench/page.py [--entities 1000000] [--views-relationships 100000] [--only search,views] [--store DIR]

Search: a world of 2×N relationships has N entities (`interlock generate`);
each query is typed as a person would (prefixes of real names), its server
time read from the `Server-Timing` header (the index is built once, by the
first query, and reported apart). The peer: the same prefix match as one
SPARQL query on `/sparql` of the same server. Views: web/bench/views.mjs
(playwright-core, Debian's Chromium). Not a test: see BENCHMARKS.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from common import ROOT, interlock_binary

QUERIES = ["jo", "a", "Hast", "hans", "olsen", "company 12", "berg", "k", "nord", "sol"]


def start_server(binary, store):
    proc = subprocess.Popen([binary, "--store", store, "serve", "--bind", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "INTERLOCK_LOG": "warn"})
    line = proc.stdout.readline()
    url = next(w for w in line.split() if w.startswith("http://")).rsplit("/sparql", 1)[0].rstrip("/")
    return proc, url


def loaded_world(binary, store, relationships):
    nquads = os.path.join(store + "-world.nq")
    subprocess.run([binary, "generate", "--relationships", str(relationships), "--seed", "1", "-o", nquads], check=True)
    started = time.perf_counter()
    subprocess.run([binary, "--store", store, "load", nquads], check=True, stdout=subprocess.DEVNULL)
    os.remove(nquads)
    return time.perf_counter() - started


def timing(header, name):
    for part in header.split(","):
        fields = dict(p.strip().split("=", 1) if "=" in p else (p.strip(), "") for p in part.split(";"))
        if name in fields:
            return float(fields["dur"])
    return None


def search(url, q):
    with urllib.request.urlopen(f"{url}/api/search?{urllib.parse.urlencode({'q': q})}") as r:
        body = json.load(r)
        return body, r.headers["Server-Timing"]


def sparql_search(url, q):
    words = " ".join(q.lower().split())
    query = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?l WHERE {{ ?e rdfs:label ?l FILTER(STRSTARTS(LCASE(?l), "{words}") || CONTAINS(LCASE(?l), " {words}")) }} LIMIT 10"""
    req = urllib.request.Request(f"{url}/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        json.load(r)
    return (time.perf_counter() - started) * 1000


def bench_search(binary, entities, runs, kept=None):
    with tempfile.TemporaryDirectory() as scratch:
        store = kept or scratch
        if kept and os.path.exists(os.path.join(kept, "CURRENT")):
            load = 0.0  # a store kept from an earlier run (--store)
        else:
            load = loaded_world(binary, store, entities * 2)
        proc, url = start_server(binary, store)
        try:
            started = time.perf_counter()
            _, header = search(url, "warm")
            print(f"\n== search, {entities:,} entities (load {load:.0f} s; first query {time.perf_counter() - started:.1f} s, "
                  f"index build {timing(header, 'index') / 1000:.1f} s)")
            print(f"{'query':<12} {'found':>5} {'server ms (median)':>19} {'max':>7} {'SPARQL ms':>10}")
            worst = []
            for q in QUERIES:
                times, found = [], 0
                for _ in range(runs):
                    body, header = search(url, q)
                    times.append(timing(header, "search"))
                    found = len(body)
                worst.append(max(times))
                print(f"{q!r:<12} {found:>5} {statistics.median(times):>19.2f} {max(times):>7.2f} {sparql_search(url, q):>10.0f}")
            print(f"slowest search: {max(worst):.2f} ms server time (target ≤ 50 ms)")
        finally:
            proc.terminate()
            proc.wait()


def registers(binary, store):
    """The Norwegian board seats and the Irish directorates imported beside each other."""
    shared = os.environ.get("INTERLOCK_SHARED", os.path.join(ROOT, "..", "shared"))
    for name, csv in [("norway_boards", "board_seats.csv"), ("irish_directorates", None)]:
        folder = os.path.join(shared, "external", "data", name)
        csv = csv or next(f for f in sorted(os.listdir(folder)) if f.endswith(".csv"))
        subprocess.run([binary, "--store", store, "import", "csv", os.path.join(folder, csv), "--mapping",
                        os.path.join(ROOT, "data", "mappings", f"{name}.toml")], check=True, stdout=subprocess.DEVNULL)


def bench_views(binary, relationships):
    with tempfile.TemporaryDirectory() as seed, tempfile.TemporaryDirectory() as world, \
            tempfile.TemporaryDirectory() as real:
        loaded_world(binary, world, relationships)
        registers(binary, real)
        seed_proc, seed_url = start_server(binary, seed)
        world_proc, world_url = start_server(binary, world)
        real_proc, real_url = start_server(binary, real)
        try:
            subprocess.run(["node", os.path.join(ROOT, "web", "bench", "views.mjs"), seed_url, real_url, world_url,
                            str(relationships)], check=True)
        finally:
            for p in (seed_proc, world_proc, real_proc):
                p.terminate()
                p.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--views-relationships", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="search,views")
    parser.add_argument("--store", help="keep the search world's store here (reused when it exists)")
    args = parser.parse_args()
    binary = interlock_binary()
    parts = args.only.split(",")
    if "search" in parts:
        bench_search(binary, args.entities, args.runs, args.store)
    if "views" in parts:
        bench_views(binary, args.views_relationships)


if __name__ == "__main__":
    sys.exit(main())

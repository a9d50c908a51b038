"""Soak: many connections for minutes of mixed reads and writes against the
real server, on a generated 100k-relationship store. Not a test; prints its
figures (results in BENCHMARKS.md).

Each of --connections workers keeps one HTTP/1.1 connection and loops,
waiting 0.5-1.5 s (so ~64 requests/s in all), then picking at random: a
label lookup of a random entity (65%), one of the queries of queries/
(0.5%: on 100k relationships the timeline query alone takes seconds of a
core), a streaming result of 5k rows, ~700 KB (8%), a runaway query that
must stop at the server's timeout with 503 (0.025%: about one a minute,
each holding a core until its timeout), or an update and a Graph Store PUT
with the token on the worker's own graphs (26.5%). Sized for the 2 cores
of this project's machines: more heavy queries than cores only measure the
queue. At the end every worker's last writes are read
back. RSS of the server is sampled every 5 s.

Passes when: no error but the runaway queries' 503s, every write readable,
RSS at the end (15 s after the load stopped) within 10% of RSS after the
first minute.

    python3 bench/soak.py [--minutes 10] [--connections 64] [--relationships 100000] [--warm-up]
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from common import ROOT, interlock_binary

TOKEN = "soak-token-0123456789abcdef"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# Three-hop chains through every triple: reads the store throughout, so it
# notices its cancellation (a query that works in memory, such as a hash
# join's probe, would not, and would go on after its 503).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d }"
STREAMING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5000"
# Seconds between the end of the load and the last RSS sample.
SETTLE = 15


def start_server(store, timeout):
    env = dict(os.environ, INTERLOCK_TOKEN=TOKEN, INTERLOCK_LOG="warn")
    server = subprocess.Popen(
        [interlock_binary(), "--store", store, "serve", "--bind", "127.0.0.1:0",
         "--writable", "--timeout", str(timeout)],
        stdout=subprocess.PIPE, env=env, cwd=ROOT)
    line = server.stdout.readline().decode()
    url = re.search(r"http://(\S+?)/sparql", line)
    if not url:
        sys.exit(f"the server did not start: {line!r}")
    host, port = url.group(1).split(":")
    return server, host, int(port)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def post_query(conn, text):
    """`text` POSTed to /sparql on `conn`, answered as SPARQL JSON; the body."""
    conn.request("POST", "/sparql", text.encode(), {"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
    return conn.getresponse().read()


def warm_up(host, port, queries):
    """Every query of queries/ and the streaming query once, one at a time:
    what the store caches for them is then in memory before the clock starts."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    for _, text in queries + [("streaming", STREAMING)]:
        post_query(conn, text)


def entity_iris(host, port, n=2000):
    conn = http.client.HTTPConnection(host, port)
    query = f"SELECT DISTINCT ?s WHERE {{ ?s <{RDFS_LABEL}> ?l }} LIMIT {n}"
    rows = json.loads(post_query(conn, query))["results"]["bindings"]
    return [r["s"]["value"] for r in rows]


class Worker(threading.Thread):
    def __init__(self, index, host, port, deadline, queries, entities, stats):
        super().__init__(daemon=True)
        self.index, self.host, self.port = index, host, port
        self.deadline, self.queries, self.entities, self.stats = deadline, queries, entities, stats
        self.rng = random.Random(index)
        self.conn = None
        self.last_update = None
        self.last_put = None

    def request(self, kind, method, path, body=None, headers=None, expect=(200, 204, 201)):
        headers = dict(headers or {})
        started = time.monotonic()
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException) as e:
                # The server may close an idle keep-alive connection: one retry on a new one.
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    self.stats.record(kind, None, time.monotonic() - started, repr(e))
                    return None, b""
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        elapsed = time.monotonic() - started
        ok = response.status in expect
        self.stats.record(kind, response.status, elapsed, None if ok else data[:200].decode(errors="replace"))
        return response.status, data

    def query(self, kind, text, accept="application/sparql-results+json", expect=(200,)):
        return self.request(kind, "POST", "/sparql", text.encode(),
                            {"Content-Type": "application/sparql-query", "Accept": accept}, expect)

    def write(self, round_):
        graph = f"http://soak.example/update/{self.index}"
        update = f'INSERT DATA {{ GRAPH <{graph}> {{ <http://soak.example/w{self.index}> <http://soak.example/round> {round_} }} }}'
        status, _ = self.request("update", "POST", "/update", update.encode(),
                                 {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        if status == 204:
            self.last_update = round_
        put_graph = urllib.parse.quote(f"http://soak.example/put/{self.index}", safe="")
        turtle = f"<http://soak.example/w{self.index}> <http://soak.example/put> {round_} .".encode()
        status, _ = self.request("gsp-put", "PUT", f"/store?graph={put_graph}", turtle,
                                 {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
        if status in (201, 204):
            self.last_put = round_

    def run(self):
        round_ = 0
        while time.monotonic() < self.deadline:
            round_ += 1
            # A person or a script between requests: 0.5-1.5 s.
            time.sleep(self.rng.uniform(0.5, 1.5))
            action = self.rng.random()
            if action < 0.65:
                entity = self.rng.choice(self.entities)
                self.query("label", f"SELECT ?l WHERE {{ <{entity}> <{RDFS_LABEL}> ?l }}")
            elif action < 0.655:
                name, text = self.rng.choice(self.queries)
                self.query(f"queries/{name}", text)
            elif action < 0.735:
                self.query("streaming", STREAMING, accept="text/tab-separated-values")
            elif action < 0.73525:
                self.query("runaway", RUNAWAY, expect=(503,))
            else:
                self.write(round_)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind = {}
        self.errors = []

    def record(self, kind, status, elapsed, error):
        with self.lock:
            entry = self.by_kind.setdefault(kind, {"n": 0, "times": [], "statuses": {}})
            entry["n"] += 1
            entry["times"].append(elapsed)
            entry["statuses"][status] = entry["statuses"].get(status, 0) + 1
            if error is not None:
                self.errors.append((kind, status, error))


def verify_writes(host, port, workers):
    """Every worker's last update and PUT, read back; the number that are not."""
    conn = http.client.HTTPConnection(host, port)
    missing = 0
    for w in workers:
        for graph, predicate, expected in [
            (f"http://soak.example/update/{w.index}", "round", w.last_update),
            (f"http://soak.example/put/{w.index}", "put", w.last_put),
        ]:
            if expected is None:
                continue
            query = (f"ASK {{ GRAPH <{graph}> {{ <http://soak.example/w{w.index}> "
                     f"<http://soak.example/{predicate}> {expected} }} }}")
            conn.request("POST", "/sparql", query, {"Content-Type": "application/sparql-query",
                                                   "Accept": "application/sparql-results+json"})
            if not json.loads(conn.getresponse().read())["boolean"]:
                missing += 1
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--relationships", type=int, default=100_000)
    parser.add_argument("--timeout", type=int, default=30, help="the server's query timeout, seconds")
    parser.add_argument("--warm-up", action="store_true",
                        help="run every query once before the workers start (caches filled first)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="interlock-soak-")
    store, world = os.path.join(work, "store"), os.path.join(work, "world.nq")
    subprocess.run([interlock_binary(), "generate", "--relationships", str(args.relationships),
                    "--seed", "1", "-o", world], check=True)
    subprocess.run([interlock_binary(), "--store", store, "load", world], check=True,
                   stdout=subprocess.DEVNULL)
    queries = []
    for name in sorted(os.listdir(os.path.join(ROOT, "queries"))):
        with open(os.path.join(ROOT, "queries", name)) as f:
            queries.append((name, f.read()))

    server, host, port = start_server(store, args.timeout)
    try:
        entities = entity_iris(host, port)
        if args.warm_up:
            warm_up(host, port, queries)
        stats = Stats()
        started = time.monotonic()
        deadline = started + args.minutes * 60
        workers = [Worker(i, host, port, deadline, queries, entities, stats)
                   for i in range(args.connections)]
        for w in workers:
            w.start()
        samples = []
        while any(w.is_alive() for w in workers):
            samples.append((time.monotonic() - started, rss_kib(server.pid)))
            time.sleep(5)
        missing = verify_writes(host, port, workers)
        # At the end: once the load has stopped and jemalloc has had its
        # ~10 s to return what the last requests freed. The last sample
        # under load is printed too: a heavy query in flight shows there.
        time.sleep(SETTLE)
        at_end = rss_kib(server.pid)
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    after_first_minute = next((rss for t, rss in samples if t >= 60), samples[-1][1])
    growth = (at_end - after_first_minute) / after_first_minute
    print(f"soak: {args.connections} connections, {args.minutes:g} min, "
          f"{args.relationships:,} relationships, query timeout {args.timeout} s")
    print(f"{'kind':32} {'requests':>9} {'median ms':>10} {'p99 ms':>9}  statuses")
    for kind, e in sorted(stats.by_kind.items()):
        times = sorted(e["times"])
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"{kind:32} {e['n']:>9,} {statistics.median(times) * 1000:>10.1f} {p99 * 1000:>9.1f}  {e['statuses']}")
    print(f"errors (other than the runaway queries' 503): {len(stats.errors)}")
    for kind, status, error in stats.errors[:10]:
        print(f"  {kind}: {status} {error}")
    print(f"writes not readable afterwards: {missing}")
    print(f"server alive at the end: {alive}")
    print("RSS MiB each minute: " + ", ".join(f"{t / 60:.0f}m {rss / 1024:.0f}" for t, rss in samples[::12] + samples[-1:])
          + f"; {SETTLE} s after the load stopped {at_end / 1024:.0f}")
    print(f"RSS after the first minute {after_first_minute / 1024:.0f} MiB, at the end "
          f"{at_end / 1024:.0f} MiB ({growth:+.1%})")
    passed = not stats.errors and missing == 0 and alive and abs(growth) <= 0.10
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

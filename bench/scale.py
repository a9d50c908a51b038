#!/usr/bin/env python3
"""interlock at scale, side by side with its peers, on a generated world.

Parts (--only to pick some):
  load        `interlock load` vs `oxigraph load` of the same N-Quads
              (N relationships): whole-process wall time, throughput, peak RSS.
  projection  building the petgraph projection of the N-relationship store
              (`interlock stats`, phase time from INTERLOCK_TIMINGS), peak RSS.
  cold        a fresh process on the N-relationship store, the page cache
              dropped before each run (when run as root; else said so):
              `interlock links A B` once after a write (it builds the
              projection and keeps a copy beside the store), then reading the
              kept copy; and `interlock serve` until its first /api/links
              answer. Whole-process wall time and peak RSS.
  centrality  betweenness, closeness (on a small world) and PageRank (on a
              medium one): interlock vs networkx vs rustworkx, algorithm time
              only, on the same simple undirected graph.
  reach       earliest-arrival reachability from the biggest hub: interlock
              vs raphtory's temporally_reachable_nodes, algorithm time only.
  links       `interlock links A B` (3 hops, intervals joined) vs the same
              question as one SPARQL query on Oxigraph (`oxigraph query`), on
              the medium world (on the largest, the SPARQL join between two
              hubs does not finish in reasonable time).

Figures are medians of --runs runs; the peers come prebuilt from PyPI into
bench/.venv. Not a test: see BENCHMARKS.md.

    python3 bench/scale.py [--relationships 1000000] [--runs 5] [--only load,links]
"""

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

from common import ROOT, interlock_binary
VENV = os.path.join(ROOT, "bench", ".venv")
PEERS = ["oxigraph==0.5.13", "networkx", "scipy", "rustworkx", "raphtory"]
IL = "https://w3id.org/interlock/ontology#"
ID = "https://w3id.org/interlock/id/"


def ensure_venv():
    """Re-runs this script inside bench/.venv, with the peers installed."""
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if subprocess.run([python, "-c", "import networkx, rustworkx, raphtory, scipy"], capture_output=True).returncode:
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", *PEERS], check=True)
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        os.execv(python, [python, *sys.argv])


def run(cmd, env=None):
    """Runs a command; returns (wall seconds, stdout, stderr)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return wall, out, err


def run_rss(cmd, env=None):
    """Like run, with the peak RSS (MiB) as GNU time measures it: (wall, MiB, stdout, stderr)."""
    timed = ["/usr/bin/time", "-f", "%M", *cmd]
    wall, out, err = run(timed, env)
    rss_kib = int(err.strip().splitlines()[-1])
    return wall, rss_kib / 1024, out, err


def timing(err, phase):
    for line in err.splitlines():
        if line.startswith(f"timing {phase} "):
            return float(line.split()[2])
    sys.exit(f"no timing for {phase} in:\n{err[-2000:]}")


def median(xs):
    return statistics.median(xs)


def world(work, n, seed=1):
    path = os.path.join(work, f"world-{n}-{seed}.nq")
    if not os.path.exists(path):
        print(f"generating {n} relationships …", flush=True)
        run([interlock_binary(), "generate", "--relationships", str(n), "--seed", str(seed), "-o", path + ".part"])
        os.rename(path + ".part", path)
    return path


def count_lines(path):
    with open(path, "rb") as f:
        return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 24), b""))


def interlock_store(work, n, seed=1):
    """A store holding world n (loaded once, kept between parts)."""
    store = os.path.join(work, f"store-{n}-{seed}")
    if not os.path.exists(os.path.join(store, "CURRENT")):
        shutil.rmtree(store, ignore_errors=True)
        run([interlock_binary(), "--store", store, "load", world(work, n, seed)])
    return store


def bench_load(args, results):
    nq = world(args.work, args.relationships)
    quads = count_lines(nq)
    oxigraph = os.path.join(VENV, "bin", "oxigraph")
    ours, theirs = [], []
    for i in range(args.runs):
        for name, cmd, into in [
            ("interlock", lambda d: [interlock_binary(), "--store", d, "load", nq], ours),
            ("oxigraph", lambda d: [oxigraph, "load", "--location", d, "--file", nq], theirs),
        ]:
            d = os.path.join(args.work, f"load-{name}")
            shutil.rmtree(d, ignore_errors=True)
            wall, rss, _, _ = run_rss(cmd(d))
            into.append((wall, rss))
            print(f"  load run {i + 1}: {name} {wall:.1f} s, {rss:.0f} MiB", flush=True)
            shutil.rmtree(d, ignore_errors=True)
    w_ours, w_theirs = median([w for w, _ in ours]), median([w for w, _ in theirs])
    results["load"] = {
        "quads": quads,
        "interlock_s": w_ours, "oxigraph_s": w_theirs,
        "interlock_quads_per_s": quads / w_ours, "oxigraph_quads_per_s": quads / w_theirs,
        "throughput_ratio": w_theirs / w_ours,
        "interlock_peak_rss_mib": max(r for _, r in ours), "oxigraph_peak_rss_mib": max(r for _, r in theirs),
    }


def bench_projection(args, results):
    store = interlock_store(args.work, args.relationships)
    times, rss = [], []
    for i in range(args.runs):
        wall, peak, _, err = run_rss([interlock_binary(), "--store", store, "stats", "--from", "2000", "--to", "2000"],
                                     {"INTERLOCK_TIMINGS": "1"})
        times.append(timing(err, "projection"))
        rss.append(peak)
        print(f"  projection run {i + 1}: {times[-1]:.1f} s, process {wall:.1f} s, {peak:.0f} MiB", flush=True)
    results["projection"] = {"relationships": args.relationships, "build_s": median(times),
                             "peak_rss_mib": max(rss)}


def drop_caches():
    """Writes out and drops the page cache, when allowed (root); whether it did."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def first_api_answer(store, path):
    """Starts `interlock serve` on the store and asks `path` once: (seconds
    from start to the answer, the server's peak RSS in MiB at that moment)."""
    import urllib.request
    started = time.perf_counter()
    server = subprocess.Popen([interlock_binary(), "--store", store, "serve", "--bind", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env={**os.environ, "INTERLOCK_LOG": "warn"})
    try:
        base = next(w for w in server.stdout.readline().split() if w.startswith("http://"))
        base = base.removesuffix("/sparql")
        with urllib.request.urlopen(base + path, timeout=3600) as answer:
            answer.read()
        seconds = time.perf_counter() - started
        with open(f"/proc/{server.pid}/status") as f:
            peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
        return seconds, peak
    finally:
        server.terminate()
        server.wait()


def bench_cold(args, results):
    store = interlock_store(args.work, args.relationships)
    a, b = args.pair.split(",")
    links = [interlock_binary(), "--store", store, "links", a, b]
    timings = {"INTERLOCK_TIMINGS": "1"}
    kept = os.path.join(store, "interlock", "projection")
    if os.path.exists(kept):
        os.remove(kept)  # as after a write: the first run builds the projection
    dropped = drop_caches()
    if not dropped:
        print("  the page cache cannot be dropped (not root): runs after the first are warm", flush=True)
    wall, peak, _, err = run_rss(links, timings)
    first = {"wall_s": wall, "peak_rss_mib": peak, "projection_s": timing(err, "projection")}
    print(f"  links after a write: {wall:.1f} s (projection built in {first['projection_s']:.1f} s), "
          f"{peak:.0f} MiB", flush=True)
    cli, api = [], []
    for i in range(args.runs):
        drop_caches()
        wall, peak, _, err = run_rss(links, timings)
        if "read from the kept copy" not in err:
            sys.exit(f"the kept copy was not read:\n{err[-2000:]}")
        cli.append((wall, peak, timing(err, "projection")))
        print(f"  links run {i + 1}: {wall:.2f} s (projection read in {cli[-1][2]:.2f} s), {peak:.0f} MiB",
              flush=True)
    for i in range(args.runs):
        drop_caches()
        seconds, peak = first_api_answer(store, f"/api/links?from={a}&to={b}")
        api.append((seconds, peak))
        print(f"  serve until the first /api/links, run {i + 1}: {seconds:.2f} s, {peak:.0f} MiB", flush=True)
    results["cold"] = {
        "relationships": args.relationships, "page_cache_dropped": dropped,
        "links_after_a_write": first,
        "links_s": median([w for w, _, _ in cli]), "links_projection_s": median([p for _, _, p in cli]),
        "links_peak_rss_mib": max(p for _, p, _ in cli),
        "first_api_links_s": median([s for s, _ in api]), "serve_peak_rss_mib": max(p for _, p in api),
    }


def simple_graph(store, work, name):
    """The simple undirected graph of ties, read from interlock's CSV export."""
    edges_csv = os.path.join(work, f"{name}-edges.csv")
    run([interlock_binary(), "--store", store, "export", "--format", "csv", "-o", edges_csv])
    nodes, edges = [], []
    with open(edges_csv.replace(".csv", ".nodes.csv"), newline="") as f:
        nodes = [row["id"] for row in csv.DictReader(f)]
    with open(edges_csv, newline="") as f:
        edges = [(row["source"], row["target"]) for row in csv.DictReader(f) if row["source"] != row["target"]]
    return nodes, edges


def bench_centrality(args, results):
    import networkx as nx
    import rustworkx as rx

    out = {}
    for measure, n in [("betweenness", args.small), ("closeness", args.small), ("pagerank", args.medium)]:
        store = interlock_store(args.work, n)
        nodes, edges = simple_graph(store, args.work, f"world-{n}")
        g = nx.Graph()
        g.add_nodes_from(nodes)
        g.add_edges_from(edges)
        r = rx.PyGraph(multigraph=False)
        index = {v: r.add_node(v) for v in nodes}
        r.add_edges_from_no_data([(index[a], index[b]) for a, b in edges])
        nx_f = {"betweenness": nx.betweenness_centrality, "closeness": nx.closeness_centrality,
                "pagerank": lambda g: nx.pagerank(g, alpha=0.85, tol=1e-12)}[measure]
        rx_f = {"betweenness": rx.betweenness_centrality, "closeness": rx.closeness_centrality,
                "pagerank": None}[measure]
        ours, theirs_nx, theirs_rx = [], [], []
        for i in range(args.runs):
            _, _, err = run([interlock_binary(), "--store", store, "centrality", "--measure", measure, "--top", "1"],
                            {"INTERLOCK_TIMINGS": "1"})
            ours.append(timing(err, "centrality"))
            if measure == "pagerank" or i < args.nx_runs:
                t = time.perf_counter(); nx_f(g); theirs_nx.append(time.perf_counter() - t)
            if rx_f:
                t = time.perf_counter(); rx_f(r); theirs_rx.append(time.perf_counter() - t)
            print(f"  {measure} run {i + 1}: interlock {ours[-1]:.3f} s, networkx {theirs_nx[-1]:.3f} s"
                  + (f", rustworkx {theirs_rx[-1]:.3f} s" if rx_f else ""), flush=True)
        if measure == "pagerank":
            # rustworkx's pagerank is for directed graphs: the same ties both ways.
            d = rx.PyDiGraph(multigraph=False)
            di = {v: d.add_node(v) for v in nodes}
            d.add_edges_from([(di[a], di[b], None) for a, b in edges] + [(di[b], di[a], None) for a, b in edges])
            for _ in range(args.runs):
                t = time.perf_counter(); rx.pagerank(d, alpha=0.85, tol=1e-12); theirs_rx.append(time.perf_counter() - t)
        out[measure] = {
            "relationships": n, "nodes": len(nodes), "edges": g.number_of_edges(),
            "interlock_s": median(ours), "networkx_s": median(theirs_nx), "rustworkx_s": median(theirs_rx),
            "vs_networkx": median(theirs_nx) / median(ours), "vs_rustworkx": median(theirs_rx) / median(ours),
        }
    results["centrality"] = out


def bench_reach(args, results):
    import datetime as dt
    from raphtory import Graph, algorithms

    n = args.medium
    store = interlock_store(args.work, n)
    # Every tie, from the export, as an event at the first day it may have held.
    edges_csv = os.path.join(args.work, f"world-{n}-edges.csv")
    run([interlock_binary(), "--store", store, "export", "--format", "csv", "-o", edges_csv])
    g = Graph()
    with open(edges_csv, newline="") as f:
        for row in csv.DictReader(f):
            start = row["start"] or "1900-01-01"
            t = dt.date.fromisoformat(start).toordinal()
            g.add_edge(t, row["source"], row["target"])
            g.add_edge(t, row["target"], row["source"])
    ours, theirs = [], []
    start_day = dt.date(1990, 1, 1).toordinal()
    for i in range(args.runs):
        _, _, err = run([interlock_binary(), "--store", store, "reach", "company-0", "--from", "1990-01-01",
                         "--format", "json"], {"INTERLOCK_TIMINGS": "1"})
        ours.append(timing(err, "reach"))
        t = time.perf_counter()
        algorithms.temporally_reachable_nodes(g, 1_000_000, start_day, ["company-0"])
        theirs.append(time.perf_counter() - t)
        print(f"  reach run {i + 1}: interlock {ours[-1]:.3f} s, raphtory {theirs[-1]:.3f} s", flush=True)
    results["reach"] = {"relationships": n, "interlock_s": median(ours), "raphtory_s": median(theirs),
                        "ratio": median(theirs) / median(ours)}


LINKS_SPARQL = """PREFIX il: <%(il)s>
# Every chain of 1 to 3 relationships between A and B, walked either way,
# through distinct entities, whose links may all have held at one time.
SELECT ?r1 ?r2 ?r3 WHERE {
  {
    ?r1 il:subject|il:object <%(a)s> . ?r1 il:subject|il:object <%(b)s> .
    ?r1 il:startEarliest ?s1 ; il:endLatest ?e1 .
    BIND(?s1 AS ?s) BIND(?e1 AS ?e)
  } UNION {
    ?r1 il:subject|il:object <%(a)s> . ?r1 il:subject|il:object ?x . FILTER(?x != <%(a)s> && ?x != <%(b)s>)
    ?r2 il:subject|il:object ?x . ?r2 il:subject|il:object <%(b)s> . FILTER(?r2 != ?r1)
    ?r1 il:startEarliest ?s1 ; il:endLatest ?e1 . ?r2 il:startEarliest ?s2 ; il:endLatest ?e2 .
    BIND(IF(?s1 > ?s2, ?s1, ?s2) AS ?s) BIND(IF(?e1 < ?e2, ?e1, ?e2) AS ?e)
  } UNION {
    ?r1 il:subject|il:object <%(a)s> . ?r1 il:subject|il:object ?x . FILTER(?x != <%(a)s> && ?x != <%(b)s>)
    ?r2 il:subject|il:object ?x . ?r2 il:subject|il:object ?y . FILTER(?r2 != ?r1 && ?y != ?x && ?y != <%(a)s> && ?y != <%(b)s>)
    ?r3 il:subject|il:object ?y . ?r3 il:subject|il:object <%(b)s> . FILTER(?r3 != ?r2 && ?r3 != ?r1)
    ?r1 il:startEarliest ?s1 ; il:endLatest ?e1 . ?r2 il:startEarliest ?s2 ; il:endLatest ?e2 .
    ?r3 il:startEarliest ?s3 ; il:endLatest ?e3 .
    BIND(IF(?s1 > ?s2, IF(?s1 > ?s3, ?s1, ?s3), IF(?s2 > ?s3, ?s2, ?s3)) AS ?s)
    BIND(IF(?e1 < ?e2, IF(?e1 < ?e3, ?e1, ?e3), IF(?e2 < ?e3, ?e2, ?e3)) AS ?e)
  }
  FILTER(?s <= ?e)
}"""


def bench_links(args, results):
    store = interlock_store(args.work, args.medium)
    oxigraph = os.path.join(VENV, "bin", "oxigraph")
    oxi_store = os.path.join(args.work, f"oxigraph-{args.medium}")
    if not os.path.exists(os.path.join(oxi_store, "CURRENT")):
        shutil.rmtree(oxi_store, ignore_errors=True)
        run([oxigraph, "load", "--location", oxi_store, "--file", world(args.work, args.medium)])
    a, b = args.pair.split(",")
    query = LINKS_SPARQL % {"il": IL, "a": ID + a, "b": ID + b}
    query_file = os.path.join(args.work, "links.rq")
    with open(query_file, "w") as f:
        f.write(query)
    ours, ours_process, theirs = [], [], []
    found = sparql_rows = None
    for i in range(args.runs):
        wall, out, err = run([interlock_binary(), "--store", store, "links", a, b, "--format", "json"],
                             {"INTERLOCK_TIMINGS": "1"})
        ours.append(timing(err, "links"))
        ours_process.append(wall)
        found = len(json.loads(out))
        wall, out, _ = run([oxigraph, "query", "--location", oxi_store, "--union-default-graph",
                            "--query-file", query_file, "--results-format", "csv"])
        theirs.append(wall)
        sparql_rows = len(out.strip().splitlines()) - 1
        print(f"  links run {i + 1}: interlock {ours[-1]:.3f} s (process {ours_process[-1]:.1f} s), "
              f"oxigraph SPARQL {theirs[-1]:.3f} s", flush=True)
    results["links"] = {"relationships": args.medium, "pair": args.pair, "chains": found,
                        "sparql_rows": sparql_rows, "interlock_s": median(ours),
                        "interlock_process_s": median(ours_process), "oxigraph_sparql_s": median(theirs),
                        "ratio": median(theirs) / median(ours)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relationships", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000, help="world size for betweenness and closeness")
    parser.add_argument("--medium", type=int, default=100_000, help="world size for PageRank, reach and links")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nx-runs", type=int, default=1, help="networkx runs of betweenness/closeness (slow)")
    parser.add_argument("--pair", default="company-0,company-1", help="the two entities for links")
    parser.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "interlock-bench"))
    parser.add_argument("--only", default="load,projection,cold,centrality,reach,links")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    ensure_venv()
    os.makedirs(args.work, exist_ok=True)
    if not shutil.which("/usr/bin/time"):
        sys.exit("GNU time is missing: apt-get install time")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    results = {"relationships": args.relationships, "runs": args.runs}
    for part in args.only.split(","):
        print(f"{part} …", flush=True)
        globals()[f"bench_{part}"](args, results)
        print(json.dumps(results[part], indent=2), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()

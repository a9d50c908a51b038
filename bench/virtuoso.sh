#!/usr/bin/env bash
# interlock on Virtuoso (issue 14), side by side in one run:
#   1. the generated world loaded into the embedded store (`interlock load`);
#   2. the same N-Quads pushed into Virtuoso by `interlock load` (staging
#      graphs in chunks through the Graph Store Protocol, then one MOVE),
#      one request at a time and four at a time, each into a new graph; then
#      loaded again over the graph it wrote (a replace);
#   3. the same N-Quads loaded by Virtuoso's own bulk loader (`ld_dir` +
#      `rdf_loader_run` + `checkpoint`) into a second, fresh Virtuoso;
#   4. the projection built from the embedded store and from Virtuoso
#      (`interlock stats --from 2000 --to 2000`, its first run: nothing kept).
#
#   [PUSH=no|once] bench/virtuoso.sh [RELATIONSHIPS] [WORK_DIR]
#
# Needs Debian's virtuoso-opensource and a release build of interlock
# ($INTERLOCK_BIN, or $CARGO_TARGET_DIR/release/interlock). Both Virtuosos
# get Debian's settings for 16 GB of memory, no time limit on a query, a
# row cap of 2^20 (the most Virtuoso sends over HTTP: the projection's
# scans are then read in pages of that size) and room in the transaction
# log for the one MOVE of the whole world (TransactionAfterImageLimit).
# The world's N-Quads are kept in WORK_DIR and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
relationships="${1:-1000000}"
# PUSH=no skips the pushes (and the MOVE): the projection is then read from
# the bulk-loaded Virtuoso (a run at 1M relationships that fits in minutes).
# PUSH=once pushes once, on one connection, into a new graph, and reads the
# projection from there (a run at 1M that fits in half an hour).
pushed="${PUSH:-yes}"
work="${2:-/tmp/interlock-virtuoso-bench}"
bin="${INTERLOCK_BIN:-${CARGO_TARGET_DIR:-target}/release/interlock}"
mkdir -p "$work"
find "$work" -mindepth 1 -maxdepth 1 ! -name "world-$relationships.nq" -exec rm -rf {} +
settings=(NumberOfBuffers=1360000 MaxDirtyBuffers=1000000 ResultSetMaxRows=1048576
    MaxQueryExecutionTime=0 MaxQueryCostEstimationTime=0 TransactionAfterImageLimit=100000000000)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT

# Runs a command under /usr/bin/time; prints "LABEL: S s, peak RSS M MiB".
measure() {
    local label="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" ||
        { cat "$work/err" >&2; exit 1; }
    read -r seconds kib <"$work/time"
    printf '%-52s %8.1f s  peak RSS %6d MiB\n' "$label:" "$seconds" "$((kib / 1024))"
}

start_virtuoso() {
    local dir="$1" http="$2" sql="$3"
    scripts/virtuoso "$dir" "$http" "$sql" "${settings[@]}" >"$dir.log" 2>&1 &
    pids+=($!)
    until grep -q ready "$dir.log" 2>/dev/null; do sleep 0.5; done
}

world="$work/world-$relationships.nq"
[ -s "$world" ] || "$bin" generate --seed 1 --relationships "$relationships" -o "$world" 2>/dev/null
quads=$(wc -l <"$world")
echo "world: $relationships relationships, $quads quads"

measure "embedded: interlock load" "$bin" --store "$work/embedded" load "$world"

if [ "$pushed" != no ]; then
    start_virtuoso "$work/virtuoso" 18990 11990
    store=(--store http://127.0.0.1:18990/sparql
        --graph-store-url http://127.0.0.1:18990/sparql-graph-crud)
    # Drops the world's graph (not timed): the next push writes a new graph,
    # as the bulk loader does.
    drop_world() {
        curl -sf -o /dev/null http://127.0.0.1:18990/sparql \
            --data-urlencode "update=DROP SILENT GRAPH <https://w3id.org/interlock/id/graph/synthetic-$relationships-1>"
    }
    measure "virtuoso: interlock load (push, 1 connection)" "$bin" "${store[@]}" --connections 1 load "$world"
fi
if [ "$pushed" = yes ]; then
    drop_world
    measure "virtuoso: interlock load (push, 4 connections)" "$bin" "${store[@]}" --connections 4 load "$world"
    # Loading it again replaces it: the MOVE also deletes the old triples.
    measure "virtuoso: interlock load (replace, 1 connection)" "$bin" "${store[@]}" --connections 1 load "$world"
elif [ "$pushed" = no ]; then # the projection is read from the bulk-loaded Virtuoso
    store=(--store http://127.0.0.1:18991/sparql)
fi

start_virtuoso "$work/bulk" 18991 11991
measure "virtuoso: ld_dir + rdf_loader_run + checkpoint" isql-vt 127.0.0.1:11991 dba dba \
    exec="ld_dir('$work', 'world-$relationships.nq', 'urn:interlock:bulk'); rdf_loader_run(); checkpoint;"
isql-vt 127.0.0.1:11991 dba dba exec="SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/interlock/')) };" |
    awk '/^[0-9]+$/ { print "  bulk-loaded quads: " $1 }'

measure "embedded: projection (stats, first run)" "$bin" --store "$work/embedded" stats --from 2000 --to 2000
cp "$work/out" "$work/embedded.stats"
measure "virtuoso: projection (stats)" "$bin" "${store[@]}" stats --from 2000 --to 2000
cmp -s "$work/out" "$work/embedded.stats" && echo "  the same stats from both" ||
    { echo "  the stats differ:"; diff "$work/embedded.stats" "$work/out"; exit 1; }
[ "$pushed" = yes ] || exit 0
# What the commit alone costs: one MOVE of the whole world's graph to a new
# graph, in the bulk-loaded Virtuoso (not used after this).
measure "virtuoso: one MOVE of the world (the commit alone)" curl -sf -o /dev/null \
    http://127.0.0.1:18991/sparql --data-urlencode \
    "update=MOVE GRAPH <https://w3id.org/interlock/id/graph/synthetic-$relationships-1> TO GRAPH <urn:interlock:bench:moved>"

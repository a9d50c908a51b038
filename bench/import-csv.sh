#!/usr/bin/env bash
# A register imported from CSV against the same world loaded as N-Quads
# (issue 29), side by side in one run:
#   1. `interlock generate` writes the world twice: N-Quads, and CSV (one
#      row per relationship, read back through bench/world-csv.toml);
#   2. `interlock load` of the N-Quads into a fresh store;
#   3. `interlock import csv` of the CSV into another fresh store.
# Prints, for each, the wall time, relationships per second and peak RSS
# (GNU time), and the import's throughput as a share of the load's.
#
#   bench/import-csv.sh [RELATIONSHIPS] [WORK_DIR]
#
# Needs a release build of interlock ($INTERLOCK_BIN, or
# $CARGO_TARGET_DIR/release/interlock) and /usr/bin/time. The world's files
# are kept in WORK_DIR and reused; the stores are deleted after the run.
set -euo pipefail
cd "$(dirname "$0")/.."
relationships="${1:-1000000}"
work="${2:-/tmp/interlock-import-bench}"
bin="${INTERLOCK_BIN:-${CARGO_TARGET_DIR:-target}/release/interlock}"
[ -x "$bin" ] || { echo "no interlock at $bin: build it (cargo build --release --workspace --all-targets)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }
mkdir -p "$work"
nq="$work/world-$relationships.nq"
csv="$work/world-$relationships.csv"
[ -s "$nq" ] || "$bin" generate --relationships "$relationships" --seed 1 -o "$nq"
[ -s "$csv" ] || "$bin" generate --relationships "$relationships" --seed 1 --format csv -o "$csv"
echo "world: $relationships relationships; $(du -h "$nq" | cut -f1) of N-Quads, $(du -h "$csv" | cut -f1) of CSV"

# Runs "$@" on a fresh store; prints "seconds peak-KiB".
measure() {
    local store="$work/store" log="$work/time.log"
    rm -rf "$store"
    /usr/bin/time -f "%e %M" -o "$log" "$bin" --store "$store" "$@" > /dev/null
    rm -rf "$store"
    cat "$log"
}

read -r load_s load_kib < <(measure load "$nq")
read -r import_s import_kib < <(measure import csv "$csv" --mapping bench/world-csv.toml)
awk -v n="$relationships" -v ls="$load_s" -v lk="$load_kib" -v is="$import_s" -v ik="$import_kib" 'BEGIN {
    printf "%-24s %10s %16s %14s\n", "", "seconds", "relationships/s", "peak RSS MiB"
    printf "%-24s %10.1f %16.0f %14.0f\n", "load (N-Quads)", ls, n / ls, lk / 1024
    printf "%-24s %10.1f %16.0f %14.0f\n", "import csv (mapping)", is, n / is, ik / 1024
    printf "import / load throughput: %.2fx (target >= 0.8x); import peak RSS %.0f MiB (target <= 500)\n", ls / is, ik / 1024
}'

#!/usr/bin/env bash
# bench/compare.sh: peel against sqlite3's own shell, and peel at scale. Never run in CI.
#
#   bash bench/compare.sh [WORKDIR]        (default: target/bench)
#
# Environment: IMPORT_ROWS (default 1000000), SMALL_ROWS (100000), LARGE_ROWS
# (10000000), RUNS (10). Needs about 1.5 GB of disk in WORKDIR at the defaults.
#
# What it measures (each comparison in the same hyperfine run, so both sides share the
# machine's state; the ratio is peel's mean over the other's mean):
#   1. import: `peel import csv` of IMPORT_ROWS synthetic long-layout rows into a copy of
#      the seed database, against `sqlite3 .import --csv` of the same file into a flat
#      table (area, period, metric, value) with a unique index on (area, period, metric);
#   2. a canned comparison query on the seed database, whole process: `peel run compare`
#      against `sqlite3 FILE "<the same SQL, arguments pasted in>"`;
#   3. `peel --version`;
#   4. scale: every canned query (catalogue examples, plus synthetic metrics) on the seed
#      plus SMALL_ROWS and plus LARGE_ROWS synthetic values, and the growth between them;
#      the query plans (`peel run --explain`) on the large database;
#   5. peak memory of `peel sql "SELECT * FROM v_metric_values" --format csv` on the
#      large database (/usr/bin/time -v), and of the large import.
# Synthetic data comes from examples/peel-gen.rs and stays in WORKDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${1:-target/bench}
IMPORT_ROWS=${IMPORT_ROWS:-1000000}
SMALL_ROWS=${SMALL_ROWS:-100000}
LARGE_ROWS=${LARGE_ROWS:-10000000}
RUNS=${RUNS:-10}

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need sqlite3 || ! need jq || [ ! -x /usr/bin/time ]; then
    apt-get update && apt-get install -y hyperfine sqlite3 jq time
fi

cargo build --release --locked --bin peel --example peel-gen
PEEL=$ROOT/target/release/peel
GEN=$ROOT/target/release/examples/peel-gen
mkdir -p "$WORK"
cd "$WORK"
RESULTS=results.md
: > "$RESULTS"
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

# mean of command N (0-based) in a hyperfine JSON export, in milliseconds
mean_ms() { jq -r "(.results[$2].mean * 10000 | round) / 10" "$1"; }
ratio() { jq -r "(.results[0].mean / .results[1].mean * 100 | round) / 100" "$1"; }

say "# peel benchmarks: $(date -u +%Y-%m-%dT%H:%MZ)"
say ""
say "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "peel $("$PEEL" --version | cut -d' ' -f2), $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'), hyperfine $(hyperfine --version | cut -d' ' -f2)"
say ""

rm -f seed.db seed.db-wal seed.db-shm
"$PEEL" --db seed.db init 2>/dev/null

# 1. Import --------------------------------------------------------------------------
"$GEN" long "$IMPORT_ROWS" > import.csv
hyperfine --export-json import.json --warmup 1 --runs "$RUNS" \
    --prepare 'cp seed.db import.db && rm -f import.db-wal import.db-shm' \
    --command-name "peel import csv" \
    "$PEEL --db import.db import csv --create-metrics --unit count import.csv" \
    --prepare 'rm -f flat.db && sqlite3 flat.db "CREATE TABLE figures (area TEXT, period TEXT, metric TEXT, value NUMERIC); CREATE UNIQUE INDEX figures_key ON figures (area, period, metric);"' \
    --command-name "sqlite3 .import --csv" \
    "sqlite3 flat.db '.import --csv --skip 1 import.csv figures'"
say "## 1. Import $IMPORT_ROWS long-layout rows"
say ""
say "| command | mean (ms) |"
say "|---|---:|"
say "| peel import csv | $(mean_ms import.json 0) |"
say "| sqlite3 .import --csv (flat table, unique index) | $(mean_ms import.json 1) |"
say ""
say "ratio peel / sqlite3: **$(ratio import.json)** (goal: at most 1.0)"
say ""

# 2. A canned comparison query on the seed, whole process -----------------------------
PERIOD="as at 31 March 2023"
METRIC="officer-fte-per-1000"
"$PEEL" --db seed.db queries compare | sed -n '/^SQL:$/,$p' | tail -n +2 \
    | sed -e "s/:metric/'$METRIC'/g" -e "s/:period/'$PERIOD'/g" -e "s/:kind/'force'/g" \
    | tr '\n' ' ' > compare.sql
hyperfine -N --export-json compare.json --warmup 5 --runs $((RUNS * 10)) \
    --command-name "peel run compare" \
    "$PEEL --db seed.db run -q compare $METRIC '$PERIOD'" \
    --command-name "sqlite3 FILE SQL" \
    "sqlite3 seed.db \"$(cat compare.sql)\""
hyperfine -N --export-json version.json --warmup 5 --runs $((RUNS * 10)) "$PEEL --version"
say "## 2. Canned comparison query on the seed database, start to last byte"
say ""
say "| command | mean (ms) |"
say "|---|---:|"
say "| peel run compare $METRIC '$PERIOD' | $(mean_ms compare.json 0) |"
say "| sqlite3 seed.db \"<the same SQL>\" | $(mean_ms compare.json 1) |"
say "| peel --version | $(mean_ms version.json 0) |"
say ""
say "ratio peel / sqlite3: **$(ratio compare.json)** (goal: at most 1.5); peel --version: $(mean_ms version.json 0) ms (goal: under 5)"
say ""

# 2b. Building the default database, and the sizes --------------------------------------
hyperfine -N --export-json init.json --warmup 1 --runs "$RUNS" \
    --prepare 'rm -f built.db built.db-wal built.db-shm' \
    --command-name "peel init" "$PEEL --db built.db init"
say "## 2b. The default database"
say ""
say "| measure | value |"
say "|---|---:|"
say "| peel init (the whole seed through the importers), mean | $(mean_ms init.json 0) ms (goal: under 1,000) |"
say "| the database it builds | $(stat -c %s built.db) bytes |"
say "| the peel binary (release) | $(stat -c %s "$PEEL") bytes |"
say ""

# 3. Scale ------------------------------------------------------------------------------
for size in small large; do
    rows=$SMALL_ROWS
    [ "$size" = large ] && rows=$LARGE_ROWS
    "$GEN" long "$rows" > "scale-$size.csv"
    cp seed.db "scale-$size.db"
    rm -f "scale-$size.db-wal" "scale-$size.db-shm"
    /usr/bin/time -v "$PEEL" --db "scale-$size.db" import csv --create-metrics --unit count \
        "scale-$size.csv" 2> "import-$size.time"
    rm -f "scale-$size.csv"
done
QUERIES=(
    "force cambs --result grades"
    "force cambs --result figures"
    "compare officer-fte-per-1000 2023"
    "compare synthetic-0001 '2015/16 Q1'"
    "trend cambs officer-fte"
    "trend cambs synthetic-0001"
    "grades 2016 effectiveness"
    "grade-changes 2016 2017"
    "grade-counts 2016"
    "graded inadequate 2016"
    "history cambs"
    "peers cambs officer-fte"
    "peers cambs synthetic-0001"
    "region cambs officer-fte"
    "region cambs synthetic-0001"
    "improvements cambs"
    "metrics officer"
    "metrics"
    "beside 2017"
    "items 2017"
    "forces east"
    "periods"
    "years"
)
say "## 3. Every canned query at scale (seed + $SMALL_ROWS and seed + $LARGE_ROWS synthetic values)"
say ""
say "| query | rows out (small / large) | small (ms) | large (ms) | growth | under 50 ms | growth at most 3 |"
say "|---|---|---:|---:|---:|---|---|"
: > plans.md
i=0
for q in "${QUERIES[@]}"; do
    i=$((i + 1))
    json="query-$i.json"
    hyperfine -N --export-json "$json" --warmup 2 --runs "$RUNS" \
        "$PEEL --db scale-small.db run -q $q" "$PEEL --db scale-large.db run -q $q" >/dev/null
    small=$(mean_ms "$json" 0)
    large=$(mean_ms "$json" 1)
    growth=$(jq -r "(.results[1].mean / .results[0].mean * 100 | round) / 100" "$json")
    out_small=$(eval "\"$PEEL\" --db scale-small.db run -q $q" | tail -n +2 | wc -l)
    out_large=$(eval "\"$PEEL\" --db scale-large.db run -q $q" | tail -n +2 | wc -l)
    fast=$(jq -r 'if .results[1].mean < 0.050 then "yes" else "**no**" end' "$json")
    flat=$(jq -r 'if .results[1].mean <= 3 * .results[0].mean then "yes" else "**no**" end' "$json")
    say "| $q | $out_small / $out_large | $small | $large | $growth | $fast | $flat |"
    {
        echo "### peel run --explain $q"
        echo
        echo '```'
        eval "\"$PEEL\" --db scale-large.db -F tsv --no-header run -q --explain $q" | cut -f3
        echo '```'
        echo
    } >> plans.md
done
say ""

# 4. Memory -----------------------------------------------------------------------------
/usr/bin/time -v "$PEEL" --db scale-large.db sql "SELECT * FROM v_metric_values" --format csv \
    2> export.time | wc -l > export.rows
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1"; }
say "## 4. Memory"
say ""
say "| command | rows | wall | peak RSS (MB) |"
say "|---|---:|---|---:|"
say "| peel sql \"SELECT * FROM v_metric_values\" --format csv (large) | $(($(cat export.rows) - 1)) | $(wall export.time) | $(rss export.time) |"
say "| peel import csv of $SMALL_ROWS rows | $SMALL_ROWS | $(wall import-small.time) | $(rss import-small.time) |"
say "| peel import csv of $LARGE_ROWS rows | $LARGE_ROWS | $(wall import-large.time) | $(rss import-large.time) |"
say ""
say "Query plans (bound arguments, large database): $WORK/plans.md"
echo
echo "results: $WORK/$RESULTS"

#!/bin/sh
# Draws the pictures the README shows (README.md, "Pictures for papers and articles"),
# from a default database built afresh, so they show the seed as it is now.
#
#   sh docs/make-pictures.sh            # with `cargo run --release`
#   PEEL=target/release/peel sh docs/make-pictures.sh
set -eu
cd "$(dirname "$0")/.."
if [ -z "${PEEL:-}" ]; then
    cargo build --release --quiet
    PEEL=target/release/peel
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PEEL" --db "$work/peel.db" init
"$PEEL" --db "$work/peel.db" -q -F svg run grades 2017 > docs/grades-2017.svg
"$PEEL" --db "$work/peel.db" -q run compare officer-fte 2015 -o docs/compare-officer-fte-2015.png
"$PEEL" --db "$work/peel.db" -q -F svg run trend cambs officer-fte > docs/trend-cambs-officer-fte.svg
ls -l docs/grades-2017.svg docs/compare-officer-fte-2015.png docs/trend-cambs-officer-fte.svg

#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/export/spreadsheet.sh: counsel's CSV opened in a real spreadsheet (LibreOffice Calc,
# headless), cell by cell against the values sent (docs/api.md §12.2; docs/decisions.md "The
# export in a spreadsheet"; what it showed last: bench/RESULTS.md, same title).
#
#   bench/export/spreadsheet.sh [--files DIR] [--out DIR]
#
#   --files DIR  open the exports already in DIR (claimants-comma.csv, claimants-semicolon.csv,
#                claimants.ndjson) instead of making them
#   --out DIR    where the files, LibreOffice's readings and the pictures go
#                (default: a new directory under /tmp, named at the end)
#
# It installs nothing. It needs:
#   - soffice: LibreOffice Calc (Debian: apt-get install -y --no-install-recommends
#     libreoffice-calc; heavy, so in neither scripts/ nor CI);
#   - python3; pdftoppm (poppler-utils) for the pictures, skipped without it;
#   - to make the exports (without --files): a built recours (RECOURS_BIN, default
#     build-asan/recours, else build/recours) and DATABASE_URL (default
#     var/secrets/database-url), on whose server the test makes and drops a database of its own.
#
# What it does:
#  1. the exports: tests/integration/test_export.py's test_hard_values_reach_the_file_as_sent
#     (accents, CJK and Arabic names, quotes, separators, line breaks, formula-like text,
#     phones, postal codes with a leading 0, large amounts, absent fields), which writes its
#     CSV with "," and with ";" and its NDJSON into DIR/files (RECOURS_EXPORT_SAVE_DIR);
#  2. each CSV opened by LibreOffice headless with a profile of its own, as a user who picks
#     the file's separator and UTF-8 and leaves every other import option as it is
#     (DIR/utf8/), and the ","-file once more with no option at all, as `soffice
#     --convert-to` takes it (DIR/default/); each saved as HTML (the cells: their text, and
#     the number when LibreOffice read one) and as PDF, and the PDF's pages as PNG;
#  3. bench/export/spreadsheet_cells.py: per column, what the cells showed against the
#     NDJSON's values (same, number, boolean, date, marked with ', or CHANGED).
# Exit status: 1 when a cell of the utf8 readings is CHANGED (the default reading is shown,
# not judged: without options LibreOffice 7.4 reads the file as Windows-1252, BOM or not).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FILES=""
OUT=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --files) FILES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: $0 [--files DIR] [--out DIR]" >&2; exit 2 ;;
    esac
done

need() {
    command -v "$1" >/dev/null || { echo "spreadsheet.sh: needs $1 ($2)" >&2; exit 2; }
}
need soffice "apt-get install -y --no-install-recommends libreoffice-calc"
need python3 "python3"
OUT=${OUT:-$(mktemp -d /tmp/recours-spreadsheet.XXXXXX)}
mkdir -p "$OUT"

if [[ -z $FILES ]]; then
    FILES=$OUT/files
    if [[ -z ${RECOURS_BIN:-} ]]; then
        RECOURS_BIN=$ROOT/build-asan/recours
        [[ -x $RECOURS_BIN ]] || RECOURS_BIN=$ROOT/build/recours
    fi
    [[ -x $RECOURS_BIN ]] || { echo "spreadsheet.sh: no recours binary ($RECOURS_BIN)" >&2; exit 2; }
    DATABASE_URL=${DATABASE_URL:-$(cat "$ROOT/var/secrets/database-url")}
    echo "making the exports with $RECOURS_BIN ..." >&2
    env DATABASE_URL="$DATABASE_URL" RECOURS_BIN="$RECOURS_BIN" RECOURS_SOURCE_DIR="$ROOT" \
        PYTHONPATH="$ROOT/tests/integration" PYTHONDONTWRITEBYTECODE=1 \
        PATH="/usr/lib/postgresql/15/bin:$PATH" RECOURS_EXPORT_SAVE_DIR="$FILES" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
        python3 "$ROOT/tests/integration/test_export.py" \
        ExportContentTest.test_hard_values_reach_the_file_as_sent >"$OUT/test.log" 2>&1 ||
        { echo "spreadsheet.sh: the test failed, see $OUT/test.log" >&2; exit 1; }
fi

# a profile of its own: never the user's, and no clash with a LibreOffice already open
PROFILE="file://$OUT/lo-profile"
open_as() { # mode filter-options csv: DIR/mode/<name>.html, .pdf and .png pages
    local mode=$1 options=$2 csv=$3 name
    name=$(basename "$csv" .csv)
    mkdir -p "$OUT/$mode"
    local args=(--headless "-env:UserInstallation=$PROFILE")
    [[ -n $options ]] && args+=("--infilter=CSV:$options")
    for to in html pdf; do
        soffice "${args[@]}" --convert-to $to --outdir "$OUT/$mode" "$csv" >/dev/null 2>&1
    done
    if command -v pdftoppm >/dev/null; then
        pdftoppm -r 80 -png "$OUT/$mode/$name.pdf" "$OUT/$mode/$name" 2>/dev/null
    fi
}
echo "LibreOffice: $(soffice --version | head -1)" >&2
open_as utf8 "44,34,76,1" "$FILES/claimants-comma.csv"
open_as utf8 "59,34,76,1" "$FILES/claimants-semicolon.csv"
open_as default "" "$FILES/claimants-comma.csv"

echo "== without import options (as soffice --convert-to takes a CSV), not judged"
python3 "$ROOT/bench/export/spreadsheet_cells.py" "$FILES/claimants.ndjson" \
    "$OUT/default/claimants-comma.html" || true
echo
echo "== the file's separator and UTF-8 chosen, every other option LibreOffice's own"
status=0
python3 "$ROOT/bench/export/spreadsheet_cells.py" "$FILES/claimants.ndjson" \
    "$OUT/utf8/claimants-comma.html" "$OUT/utf8/claimants-semicolon.html" || status=$?
echo
echo "files, readings and pictures (*.png): $OUT"
exit $status

#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/fuzz/run.sh: long libFuzzer runs of the harnesses of tests/fuzz (tests/fuzz/README.md).
#
#   bench/fuzz/run.sh <target|all> [seconds]
#
#   target   claims, scheme, cursor, reference, normalize or csv (tests/fuzz/fuzz_<target>.c)
#   seconds  how long each target runs (300)
#
# Environment: FUZZ_JOBS, how many targets run at once (1; the machine's cores are shared);
# FUZZ_DIR, the scratch directory (var/fuzz).
#
# The fuzz tree build-fuzz (clang, -DRECOURS_FUZZ=ON) is configured and brought up to date
# first. Each target starts from its committed seeds (tests/fuzz/corpus/<target>, read only)
# and the scratch corpus FUZZ_DIR/<target>/corpus, which keeps what earlier runs found, so a
# second run goes on where the first stopped; nothing is written into the repository. A crash,
# leak, sanitizer report, failed invariant or timeout stops that target and leaves its input in
# FUZZ_DIR/<target>/artifacts/ (replay it: build-fuzz/tests/fuzz/fuzz_<target> <file>);
# libFuzzer's output is in FUZZ_DIR/<target>/log.
#
# Prints one Markdown table row per target: seconds, executions, executions per second, the
# coverage at the end (cov: edges, ft: features), the corpus size and the crashes (inputs left
# in artifacts by this run). Exits non-zero when any target crashed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
TARGETS=(claims scheme cursor reference normalize csv)
FUZZ_DIR="${FUZZ_DIR:-$ROOT/var/fuzz}"
FUZZ_JOBS="${FUZZ_JOBS:-1}"

usage() {
    printf 'usage: %s <%s|all> [seconds]\n' "$0" "$(
        IFS='|'
        echo "${TARGETS[*]}"
    )" >&2
    exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
seconds="${2:-300}"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage
if [[ "$1" == all ]]; then
    selected=("${TARGETS[@]}")
elif [[ " ${TARGETS[*]} " == *" $1 "* ]]; then
    selected=("$1")
else
    usage
fi

cmake -S "$ROOT" -B "$ROOT/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECOURS_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build "$ROOT/build-fuzz" -j2 >/dev/null

# run_one TARGET: one long run; writes FUZZ_DIR/TARGET/{log,seconds,crashes}.
run_one() {
    local target="$1"
    local dir="$FUZZ_DIR/$target"
    local start status crashes

    mkdir -p "$dir/corpus" "$dir/artifacts"
    find "$dir/artifacts" -type f -delete
    start=$SECONDS
    status=0
    "$ROOT/build-fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
        "$dir/corpus" "$ROOT/tests/fuzz/corpus/$target" >"$dir/log" 2>&1 || status=$?
    echo $((SECONDS - start)) >"$dir/seconds"
    crashes="$(find "$dir/artifacts" -type f | wc -l)"
    if [[ $status -ne 0 && $crashes -eq 0 ]]; then
        crashes=1 # stopped by something that left no input: count it, read the log
    fi
    echo "$crashes" >"$dir/crashes"
}

# The last value of libFuzzer's "name: value" in a log line, or "?".
last_stat() {
    local name="$1" log="$2"

    grep -Eo "$name:? +[0-9]+" "$log" | tail -n 1 | grep -Eo '[0-9]+$' || echo '?'
}

running=0
for target in "${selected[@]}"; do
    if [[ $running -ge $FUZZ_JOBS ]]; then
        wait -n
        running=$((running - 1))
    fi
    printf 'fuzz: %s for %s s\n' "$target" "$seconds" >&2
    run_one "$target" &
    running=$((running + 1))
done
wait

failed=0
printf '| target | seconds | execs | exec/s | cov | ft | corpus | crashes |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
for target in "${selected[@]}"; do
    dir="$FUZZ_DIR/$target"
    log="$dir/log"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$(cat "$dir/seconds")" \
        "$(last_stat 'stat::number_of_executed_units' "$log")" \
        "$(last_stat 'stat::average_exec_per_sec' "$log")" \
        "$(last_stat cov "$log")" "$(last_stat ft "$log")" \
        "$(find "$dir/corpus" -type f | wc -l)" "$(cat "$dir/crashes")"
    if [[ "$(cat "$dir/crashes")" != 0 ]]; then
        failed=1
        printf 'fuzz: %s crashed, see %s and %s/artifacts/\n' "$target" "$log" "$dir" >&2
    fi
done
exit "$failed"

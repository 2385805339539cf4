# SPDX-License-Identifier: AGPL-3.0-or-later
# compare.sh's Markdown report (sourced, not run): medians of the rounds, ratios measured
# together, where the time went (perf, the server's own phase timings, pg_stat_statements).
# shellcheck shell=bash

# median NAME COLUMN of $TMP/results
median() {
    awk -v n="$1" -v c="$2" '$1 == n && $c != "-" { print $c }' "$TMP/results" | sort -g |
        awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "-"; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

# ratio_median NAME REF: the median over rounds of NAME ÷ REF measured in the same round
ratio_median() {
    awk -v n="$1" -v r="$2" '$1 == n { a[$2] = $3 } $1 == r { b[$2] = $3 }
        END { for (k in a) if (k in b && b[k] > 0) printf "%.4f\n", a[k] / b[k] }' \
        "$TMP/results" | sort -g | awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "-"; exit }
            printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# perf_summary VARIANT: share of all samples by program, then the top functions of recours and
# of postgres (as shares of that program's samples)
perf_summary() {
    local v="$1" flat="$TMP/perf-$1.flat"

    perf report -i "$TMP/perf-$v.data" --stdio --no-children --sort comm,dso,sym -g none \
        --percent-limit 0 2>/dev/null | grep -E '^ +[0-9.]+%' >"$flat" || true
    printf '%s, by program (share of all samples):\n\n```\n' "${LABEL[$v]}"
    awk '{ sub(/%/, "", $1); w = $2 ~ /^(MHD|recours)/ ? "recours" : $2; s[w] += $1 }
        END { for (w in s) if (s[w] >= 0.5) printf "%6.2f%%  %s\n", s[w], w }' "$flat" | sort -rn
    printf '```\n\n'
    # the samples of this server and of its database's backends only (others' programs of the
    # same names ran beside them), and of wrk
    perf report -i "$TMP/perf-$v.data" --stdio --no-children --sort comm,dso,sym -g none \
        --percent-limit 0 --pid "$(cat "$TMP/perf-$v.pids")" 2>/dev/null |
        grep -E '^ +[0-9.]+%' >"$flat.ours" || true
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    for p in postgres recours wrk; do
        printf '%s, top functions of %s (share of its samples):\n\n```\n' "${LABEL[$v]}" "$p"
        awk -v p="$p" '{ pct = $1; sub(/%/, "", pct); w = $2 == "postgres" || $2 == "wrk" ? $2 : "recours"
                if (w != p) next
                k = $3; for (i = 4; i <= NF; i++) k = k " " $i; s[k] += pct; t += pct }
            END { for (k in s) printf "%6.2f%%  %s\n", 100 * s[k] / t, k }' \
            "$([[ "$p" == wrk ]] && echo "$flat" || echo "$flat.ours")" | sort -rn | awk 'NR <= 15'
        printf '```\n\n'
    done
}

# phase_summary VARIANT: the server's own timings per intake phase (recours_intake_phase_seconds
# in /metrics, issue 15) summed over VARIANT's measured runs: count, mean, and the upper bounds
# of the buckets holding the median and the 99th percentile. Nothing when the build has none.
phase_summary() {
    local v="$1" f rows=""

    for f in "$TMP/metrics-$v-r"[0-9]*.1; do
        [[ -s "$f" && -s "${f%.1}.0" ]] || continue
        rows+="$(awk 'FNR == 1 { sign = (FILENAME ~ /\.0$/) ? -1 : 1 }
            /^recours_intake_(phase_seconds|batch_claims)/ { print $1, sign * $2 }' \
            "${f%.1}.0" "$f")"
        rows="${rows%$'\n'}"$'\n'
    done
    [[ -n "${rows//$'\n'/}" ]] || return 0
    printf '%s: the server'"'"'s own timings over its measured runs (/metrics; per submission: handler, prepare, queue, batch; per batch statement: the others; p50/p99: upper bound of the bucket that holds it)\n\n' "${LABEL[$v]}"
    printf '| phase | count | mean ms | p50 ≤ ms | p99 ≤ ms |\n|---|---:|---:|---:|---:|\n'
    printf '%s' "$rows" | awk '
        { key = $1; v[key] += $2 }
        END {
            for (k in v) {
                if (k !~ /^recours_intake_phase_seconds_count/) continue
                p = k; sub(/.*phase="/, "", p); sub(/".*/, "", p)
                if (v[k] <= 0) continue
                order[++n] = p; count[p] = v[k]
            }
            for (k in v) {
                if (k !~ /^recours_intake_phase_seconds_sum/) continue
                p = k; sub(/.*phase="/, "", p); sub(/".*/, "", p); sum[p] = v[k]
            }
            for (k in v) {
                if (k !~ /^recours_intake_phase_seconds_bucket/) continue
                p = k; sub(/.*phase="/, "", p); sub(/".*/, "", p)
                le = k; sub(/.*le="/, "", le); sub(/".*/, "", le)
                nb[p]++; bl[p, nb[p]] = le; bc[p, nb[p]] = v[k]
            }
            split("handler prepare queue batch tx_begin claims matches duplicates eligibility risk mail hooks answers tx_commit deliver", want, " ")
            for (w = 1; w in want; w++) {
                p = want[w]; if (!(p in count)) continue
                q50 = "+Inf"; q99 = "+Inf"; b50 = 1e99; b99 = 1e99
                for (i = 1; i <= nb[p]; i++) {
                    le = bl[p, i]; x = (le == "+Inf") ? 1e98 : le + 0
                    if (bc[p, i] >= 0.5 * count[p] && x < b50) { b50 = x; q50 = le }
                    if (bc[p, i] >= 0.99 * count[p] && x < b99) { b99 = x; q99 = le }
                }
                printf "| %s | %d | %.2f | %s | %s |\n", p, count[p], 1000 * sum[p] / count[p],
                    (q50 == "+Inf" ? q50 : sprintf("%g", 1000 * q50)),
                    (q99 == "+Inf" ? q99 : sprintf("%g", 1000 * q99))
            }
            if (v["recours_intake_batch_claims_count"] > 0)
                printf "\nbatches: %d, mean %.1f claims\n", v["recours_intake_batch_claims_count"],
                    v["recours_intake_batch_claims_sum"] / v["recours_intake_batch_claims_count"]
        }'
    printf '\n'
}

# statements_summary VARIANT: with STATEMENTS=1, the statements of VARIANT's database in its
# last measured round (pg_stat_statements; nested ones, run by a function or a trigger, too)
statements_summary() {
    local f="" g

    for g in "$TMP/statements-$1-r"[0-9]*; do
        [[ -s "$g" && "$g" != *.scans ]] && f="$g"
    done
    [[ -n "$f" && -s "$f" ]] || return 0
    printf '%s: its statements in round %s (pg_stat_statements; "nested": run inside a function or a trigger; top 30 by time)\n\n' \
        "${LABEL[$1]}" "${f##*-r}"
    printf '| calls | exec µs/claim | WAL bytes/claim | statement |\n|---:|---:|---:|---|\n'
    awk -F'|' '{ printf "| %s | %s | %s | %s`%s` |\n", $1, $2, $3, ($4 == "t" ? "" : "nested: "),
        $5 }' "$f"
    printf '\n'
    [[ -s "$f.scans" ]] || return 0
    printf '%s: tables read by sequential scans in that round (pg_stat_user_tables)\n\n' "${LABEL[$1]}"
    printf '| table | sequential scans | rows read by them per claim | index scans |\n|---|---:|---:|---:|\n'
    awk -F'|' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$f.scans"
    printf '\n'
}

# report: the Markdown block (stdout): the machine and the commands, the table of medians,
# the targets, where the time went, the checks that held, and every measurement
report() {
    local model mem pg_version pg_settings v r n p

    model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    mem="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    pg_version="$(psql_ "${DB[pgbench]}" "SHOW server_version")"
    pg_settings="$(psql_ "${DB[pgbench]}" "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
        FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'shared_buffers',
          'commit_delay', 'max_wal_size', 'min_wal_size', 'wal_init_zero')")"
    printf -- '- run: %s; machine: %s CPUs (%s), %s RAM, kernel %s, shared; load average before %s, after %s\n' \
        "$START" "$(nproc)" "$model" "$mem" "$(uname -r)" "$LOAD_BEFORE" "$LOAD_AFTER"
    printf -- '- PostgreSQL %s on the same machine: %s\n' "$pg_version" "$pg_settings"
    [[ -z "$BASELINE_PG_SETTINGS$HEAD_PG_SETTINGS" ]] ||
        printf -- '- PostgreSQL settings set for the measurements (ALTER SYSTEM, then reset): baseline %s; HEAD, HEAD+mandates and pgbench %s\n' \
            "${BASELINE_PG_SETTINGS:-none}" "${HEAD_PG_SETTINGS:-none}"
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    [[ -z "$BASELINE_SERVE_ARGS$HEAD_SERVE_ARGS" ]] ||
        printf -- '- more `recours serve` flags: baseline %s; HEAD and HEAD+mandates %s\n' \
            "${BASELINE_SERVE_ARGS:-none}" "${HEAD_SERVE_ARGS:-none}"
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    {
        printf -- '- command: `bench/intake/compare.sh` (BASELINE=%s DURATION=%s WARMUP=%s ROUNDS=%s WORKERS=%s WRITERS=%s QUIET_WAIT=%s); baseline = %s, HEAD = %s;\n' \
            "$BASELINE" "$DURATION" "$WARMUP" "$ROUNDS" "$WORKERS" "$WRITERS" "$QUIET_WAIT" \
            "${SHA[baseline]:0:7}" "${SHA[head]:0:7}"
        printf '  each `recours serve --workers %s %s--rate-limit-burst 1000000 --rate-limit-per-s 1000000` on a fresh database migrated by its own build;\n' \
            "$WORKERS" "$([[ "$WRITERS" == default ]] && echo '(its own default --intake-writers) ' || echo "--intake-writers $WRITERS ")"
        [[ -z "$PACED_RATE" ]] ||
            printf '  paced: the same wrk with `CLAIM_RATE=%s CLAIM_THREADS=%s` (claim.lua: each thread sends on a fixed schedule, %s claims/s in all; "late": sends that left more than 1 ms after their slot because every connection of the thread was waiting, 0 = an open loop; written late/rate, the rate in claims/s; with auto, the claims/s %s reached in the closed loop of the same round);\n' \
                "$PACED_RATE" "$THREADS" "$PACED_RATE" "${LABEL[${VARIANTS[0]}]}"
        printf '  `wrk -t%s -c%s -d%ss --latency -s bench/intake/claim.lua` (HEAD+mandates: `claim_mandated.lua`, same claims plus `action_id` and `mandate_text_version`);\n' \
            "$THREADS" "$CONNECTIONS" "$DURATION"
        printf '  `pgbench -n -M prepared -c N -j %s -T %s -f bench/intake/insert.sql -D piilen=%s` for N in %s (one claim and its tally per transaction)\n' \
            "$PGBENCH_JOBS" "$DURATION" "$PII_LEN" "${PGB_CLIENTS[*]}"
        printf -- '- rounds interleaved (%s, then pgbench) ×%s; %s s warm-up, quiet wait and %s before each measurement; medians; ratios are medians of the per-round ratios\n\n' \
            "${MEASURED[*]}" "$ROUNDS" "$WARMUP" "$( ((CHECKPOINT_SKIPPED)) && echo 'no CHECKPOINT' || echo 'a CHECKPOINT')"
    }
    printf '| variant | claims/s | p50 ms | p99 ms | load (1 min) | ÷ baseline | ÷ pgbench | CPU µs/claim: recours | PostgreSQL backends | client (wrk, pgbench) | WAL bytes/claim | late sends / rate, per round |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n'
    for v in "${MEASURED[@]}"; do
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${LABEL[$v]}" \
            "$(median "$v" 3)" "$(median "$v" 4)" "$(median "$v" 5)" "$(median "$v" 11)" \
            "$(if [[ "$v" == baseline* ]]; then echo 1.00; elif has_variant baseline; then ratio_median "$v" "baseline${v#"${v%-paced}"}"; else echo -; fi)" \
            "$(ratio_median "$v" pgbench)" "$(median "$v" 7)" "$(median "$v" 8)" \
            "$(median "$v" 13)" "$(median "$v" 14)" \
            "$(awk -v n="$v" '$1 == n && $12 != "-" { printf "%s%s", s, $12; s = ", " }' "$TMP/results")"
    done
    for n in "${PGB_CLIENTS[@]}"; do
        p=pgbench
        [[ "$n" == "${PGB_CLIENTS[0]}" ]] || p="pgbench-c$n"
        printf '| %s, one claim per transaction | %s | %s | %s | %s | %s | %s | – | – | %s | %s | – |\n' \
            "${LABEL[$p]}" "$(median "$p" 3)" "$(median "$p" 4)" "$(median "$p" 5)" \
            "$(median "$p" 11)" "$(has_variant baseline && ratio_median "$p" baseline || echo -)" \
            "$(ratio_median "$p" pgbench)" "$(median "$p" 13)" "$(median "$p" 14)"
    done
    printf '\n'
    for v in head mandates; do
        r="$R_HEAD"
        [[ "$v" == mandates ]] && r="$R_MAND"
        [[ "$r" != - ]] || continue
        printf 'Target of the earlier issues: %s ≥ %s × baseline: **%s** (%s).\n\n' "${LABEL[$v]}" \
            "$TARGET" "$r" "$(awk -v r="$r" -v t="$TARGET" 'BEGIN { print (r >= t ? "met" : "missed") }')"
    done
    if has_variant head; then
        printf 'Issue 15 at %s connections: HEAD p99 %s ms (target < 20 ms: **%s**), HEAD claims/s ÷ baseline %s (target ≥ 1.00 in the same run: **%s**).\n\n' \
            "$CONNECTIONS" "$(median head 5)" "$(awk -v p="$(median head 5)" 'BEGIN { print (p < 20 ? "met" : "missed") }')" \
            "$R_HEAD" "$(awk -v r="$R_HEAD" 'BEGIN { print (r == "-" ? "not measured" : r >= 1 ? "met" : "missed") }')"
    fi
    for v in "${MEASURED[@]}"; do
        phase_summary "$v"
        statements_summary "$v"
    done
    printf 'Checked in SQL:\n\n'
    printf -- '- %s\n' "${VERIFIED[@]}"
    printf '\nEvery measurement (variant, round, claims/s, p50 ms, p99 ms, claims, CPU µs/claim of recours, of its PostgreSQL backends, others'"'"' CPU s during the run, %% of a CPU busy in the quiet check just before, 1-minute load average at its start, late paced sends, CPU µs/claim of the client (wrk or pgbench), WAL bytes/claim):\n\n```\n'
    cat "$TMP/results"
    printf '```\n'
    if ((${#PROFILED[@]} > 0)); then
        # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
        printf '\n`perf record -a -g` during one more %s s run of each (after the rounds):\n\n' \
            "$DURATION"
        for v in "${PROFILED[@]}"; do
            perf_summary "$v"
        done
    fi
}

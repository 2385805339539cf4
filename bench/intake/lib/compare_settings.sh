# SPDX-License-Identifier: AGPL-3.0-or-later
# compare.sh's settings checked, and the names the report gives its variants (sourced, not
# run). The settings themselves are read, with their defaults, by compare.sh.
# shellcheck shell=bash

declare -A LABEL=([baseline]="baseline" [head]="HEAD" [mandates]="HEAD+mandates"
    [pgbench]="pgbench")
WRITER_FLAGS=()

# check_settings: dies on a setting out of range; fills LABEL (the paced variants, the
# pgbench client counts) and WRITER_FLAGS
check_settings() {
    local v n f

    for v in "${VARIANTS[@]}"; do
        [[ "$v" =~ ^(baseline|head|mandates)$ ]] || die "VARIANTS: '$v' is not baseline, head or mandates"
        LABEL[$v-paced]="${LABEL[$v]}, paced"
    done
    ((${#VARIANTS[@]} > 0)) || die "VARIANTS is empty"
    for n in "${PGB_CLIENTS[@]}"; do
        [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "PGBENCH_CLIENTS: '$n' is not a number of clients"
        [[ "$n" == "${PGB_CLIENTS[0]}" ]] && continue
        LABEL[pgbench-c$n]="pgbench, $n clients"
    done
    LABEL[pgbench]="pgbench, ${PGB_CLIENTS[0]} clients"
    [[ -z "$PACED_RATE" || "$PACED_RATE" == auto || "$PACED_RATE" =~ ^[1-9][0-9]*$ ]] ||
        die "PACED_RATE must be claims/s or auto"
    for v in DURATION WARMUP ROUNDS THREADS CONNECTIONS WORKERS PGBENCH_JOBS; do
        [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
    done
    [[ "$WRITERS" == default || ("$WRITERS" =~ ^[1-9][0-9]*$ && "$WRITERS" -le 16) ]] ||
        die "WRITERS must be in 1-16 or default"
    # shellcheck disable=SC2034 # read by start_server
    [[ "$WRITERS" == default ]] || WRITER_FLAGS=(--intake-writers "$WRITERS")
    [[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "QUIET_WAIT must be a number of seconds"
    [[ "$PROFILE" =~ ^(auto|0|1)$ ]] || die "PROFILE must be auto, 0 or 1"
    [[ "$STATEMENTS" =~ ^(0|1)$ ]] || die "STATEMENTS must be 0 or 1"
    for f in claim.lua claim_mandated.lua insert.sql; do
        [[ -f "$HERE/$f" ]] || die "bench/intake/$f is missing"
    done
}

# has_variant NAME: true when VARIANTS lists NAME
has_variant() { [[ " ${VARIANTS[*]} " == *" $1 "* ]]; }

# pg_settings_of VARIANT: the PostgreSQL settings its measurements run with (BASELINE_ or
# HEAD_PG_SETTINGS; HEAD's for HEAD+mandates and pgbench, which insert with HEAD's schema)
pg_settings_of() {
    case "${1%-paced}" in
    baseline) printf '%s\n' "$BASELINE_PG_SETTINGS" ;;
    *) printf '%s\n' "$HEAD_PG_SETTINGS" ;;
    esac
}

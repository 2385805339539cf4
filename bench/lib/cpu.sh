# SPDX-License-Identifier: AGPL-3.0-or-later
# CPU accounting per process, from /proc (sourced, not run): what a server, the PostgreSQL
# backends of a database and the whole machine used, in clock ticks (CLK_TCK a second).
# shellcheck shell=bash

# shellcheck disable=SC2034 # read by the benches too, to turn ticks into seconds
CLK_TCK="$(getconf CLK_TCK)"

# ticks_of PID: sets TICKS to the user + system clock ticks process PID (all its threads) has
# used so far, 0 when it is gone. No subshell: samplers call it often.
ticks_of() {
    local line rest
    local -a f

    TICKS=0
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 0
    # the fields after the ")" that closes the command name: utime is the 12th, stime the 13th
    rest="${line##*) }"
    read -r -a f <<<"$rest"
    TICKS=$((f[11] + f[12]))
}

# backends_ticks DB: "pid ticks" lines, one per live PostgreSQL backend of database DB (its
# process title names the database)
backends_ticks() {
    local pid

    for pid in $(pgrep -f "^postgres: [^ ]+ $1 " || true); do
        ticks_of "$pid"
        printf '%s %s\n' "$pid" "$TICKS"
    done
}

# machine_busy: busy clock ticks of the whole machine since boot (all CPUs, /proc/stat: user,
# nice, system, irq, softirq)
machine_busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

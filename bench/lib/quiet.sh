# SPDX-License-Identifier: AGPL-3.0-or-later
# The quiet wait before a measurement (sourced, not run; needs cpu.sh, and info and warn of
# common.sh). The machine is shared: a measurement taken while others' work runs says little.
# shellcheck shell=bash

# wait_quiet: waits (up to QUIET_WAIT s; 0: not at all) until the machine uses less than 15%
# of one CPU over 1 s (our idle processes use next to nothing: what is busy is other people's
# work); sets BUSY_AT_START to the last % seen (0 when it did not wait).
BUSY_AT_START=0
wait_quiet() {
    local waited=0 a b

    BUSY_AT_START=0
    ((QUIET_WAIT > 0)) || return 0
    while :; do
        a="$(machine_busy)"
        sleep 1
        b="$(machine_busy)"
        BUSY_AT_START=$((100 * (b - a) / CLK_TCK))
        ((BUSY_AT_START < 15)) && break
        if ((waited >= QUIET_WAIT)); then
            warn "the machine is still busy (${BUSY_AT_START}% of a CPU): measuring anyway"
            break
        fi
        ((waited == 0)) && info "waiting for the machine to be quiet (${BUSY_AT_START}% of a CPU busy)"
        sleep 2
        waited=$((waited + 3))
    done
}

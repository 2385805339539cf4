# SPDX-License-Identifier: AGPL-3.0-or-later
# What every bench needs (sourced, not run): its messages on stderr, the Debian packages it
# runs, and the recours binary it measures. ensure_binary reads ROOT (the repository).
# shellcheck shell=bash

info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# ensure_packages PACKAGE...: installs the missing ones only; apt-get update only when
# something is missing.
ensure_packages() {
    local pkg status
    local -a missing=()

    for pkg in "$@"; do
        status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == installed ]] || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ "${EUID:-$(id -u)}" -eq 0 ]] || die "missing packages (${missing[*]}): run as root"
    info "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

# ensure_binary: RECOURS_BIN when given, else build/recours, configured (RelWithDebInfo) when
# build/ has never been, and rebuilt (only what changed) in any case.
ensure_binary() {
    if [[ -n "${RECOURS_BIN:-}" ]]; then
        [[ -x "$RECOURS_BIN" ]] || die "RECOURS_BIN=$RECOURS_BIN is not executable"
        return 0
    fi
    RECOURS_BIN="$ROOT/build/recours"
    if [[ ! -f "$ROOT/build/CMakeCache.txt" ]]; then
        info "build: configuring build/"
        cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
    fi
    info "build: cmake --build build (rebuilds only what changed)"
    cmake --build "$ROOT/build" -j"$(nproc)" >&2
    [[ -x "$RECOURS_BIN" ]] || die "$RECOURS_BIN was not built"
}

# on_exit_cleanup: the caller's cleanup runs whatever happens: at exit, and on INT or TERM
# (which exit 130 or 143, as the shell would)
on_exit_cleanup() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# remove_tmp_dir DIR KEEP: removes the temporary directory DIR (none: nothing), or with KEEP=1
# keeps it and says so
remove_tmp_dir() {
    [[ -n "$1" && -d "$1" ]] || return 0
    if [[ "$2" == 1 ]]; then
        info "kept $1 (holds throw-away secrets: delete it when done)"
    else
        rm -rf "$1"
    fi
}

# SPDX-License-Identifier: AGPL-3.0-or-later
# shellcheck shell=bash
# Configures and builds one CMake tree of the repository.

# build_tree DIR [CMAKE_ARGS...]: configures DIR (RelWithDebInfo) and builds it on every core.
# Re-running is cheap: CMake rebuilds only what changed.
build_tree() {
    local dir="$1"
    shift

    info "build: $dir${*:+ $*}"
    cmake -S "$RECOURS_ROOT" -B "$RECOURS_ROOT/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    cmake --build "$RECOURS_ROOT/$dir" -j"$(nproc)"
}

# SPDX-License-Identifier: AGPL-3.0-or-later
# compare.sh's builds and their databases (sourced, not run): each compared commit's tree
# built with its own CMake, its throw-away secrets, and a fresh database per variant migrated
# by that build.
# shellcheck shell=bash

declare -A SRC=() BIN=() SHA=() SECRETS=() DB=()
declare -a DATABASES=()

# build NAME REV: the tree of REV (a commit, git archive) built with its own CMake; sets
# SRC[NAME] and BIN[NAME]. With BUILD_CACHE, the tree and build stay in $BUILD_CACHE/<sha> for
# reuse.
build() {
    local name="$1" sha dir

    sha="$(git -C "$ROOT" rev-parse --verify "$2^{commit}")" || die "no commit $2"
    if [[ -n "$BUILD_CACHE" ]]; then
        dir="$BUILD_CACHE/$sha"
    else
        dir="$TMP/$name-$sha"
    fi
    mkdir -p "$dir"
    if [[ ! -d "$dir/src" ]]; then
        mkdir -p "$dir/src.part"
        git -C "$ROOT" archive "$sha" | tar -x -C "$dir/src.part" ||
            die "git archive $sha failed"
        mv "$dir/src.part" "$dir/src"
    fi
    if [[ ! -x "$dir/build/recours" ]]; then
        info "build: ${LABEL[$name]} = ${sha:0:7} (cmake, RelWithDebInfo, -j2)"
        { cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
            cmake --build "$dir/build" -j2 --target recours; } >"$dir/build.log" 2>&1 ||
            die "build of $sha failed: $(tail -n 20 "$dir/build.log")"
    else
        info "build: ${LABEL[$name]} = ${sha:0:7} (cached in $dir)"
    fi
    SRC[$name]="$dir/src"
    BIN[$name]="$dir/build/recours"
    SHA[$name]="$sha"
}

# serve_flag BIN FLAG: true when `BIN serve --help` lists FLAG
serve_flag() { "$1" serve --help 2>&1 | awk -v f="$2" '$1 == f { ok = 1 } END { exit !ok }'; }

# prepare_build NAME: checks that build NAME has the serve flags the run gives; makes its
# secrets (SECRETS[NAME]), the directory of its self-signed certificate, and the operator's
# Authorization header in $TMP/auth-NAME (read by curl from the file, never on a command line)
prepare_build() {
    local b="$1" f

    for f in --rate-limit-burst --rate-limit-per-s --workers --intake-writers; do
        serve_flag "${BIN[$b]}" "$f" || die "${LABEL[$b]} has no serve $f"
    done
    mkdir -p "$TMP/tls-$b"
    SECRETS[$b]="$TMP/secrets-$b"
    (cd "${SRC[$b]}" && "${BIN[$b]}" secrets init --secrets-dir "${SECRETS[$b]}" >/dev/null) ||
        die "recours secrets init (${LABEL[$b]}) failed"
    (umask 077 && printf 'Authorization: Bearer %s\n' \
        "$(tr -d '\n' <"${SECRETS[$b]}/operator-key")" >"$TMP/auth-$b")
}

# make_db VARIANT BUILD: a fresh database migrated by BUILD's binary and migrations
make_db() {
    local v="$1" b="$2" name

    name="bench_cmp_${v}_$(date -u +%Y%m%d_%H%M%S)_$$"
    psql_ "$URL_DB" "CREATE DATABASE $name" >/dev/null 2>"$TMP/createdb.err" ||
        die "CREATE DATABASE $name failed: $(cat "$TMP/createdb.err")"
    DATABASES+=("$name")
    # shellcheck disable=SC2034 # read by the measurements and the checks
    DB[$v]="$name"
    DATABASE_URL="$(url_for "$name" with-password)" "${BIN[$b]}" migrate \
        --migrations-dir "${SRC[$b]}/db-migrations" >"$TMP/migrate-$v.log" 2>&1 ||
        die "recours migrate ($v) failed: $(tail -n 5 "$TMP/migrate-$v.log")"
    if [[ "$STATEMENTS" == 1 ]]; then
        psql_ "$name" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null ||
            die "STATEMENTS=1: pg_stat_statements must be preloaded and in template1"
    fi
    [[ "$(psql_ "$name" "SHOW synchronous_commit")" == on ]] ||
        die "synchronous_commit is not on for $name"
    info "database $name (${LABEL[$v]}), migrated by ${SHA[$b]:0:7}"
}

# SPDX-License-Identifier: AGPL-3.0-or-later
# shellcheck shell=bash
# THE list of Debian 12 packages recours needs, and the one function that installs the
# missing ones. The Dockerfile sources this file too, so a package is named here only.

# Compiler, libraries and what CMake needs to configure (python3: the integration tests).
BUILD_PACKAGES=(
    gcc make cmake pkg-config
    libmicrohttpd-dev libjansson-dev libpq-dev libssl-dev libcmocka-dev libunistring-dev
    libcurl4-openssl-dev zlib1g-dev
    python3
)

# The private PostgreSQL cluster and the tools the scripts call (openssl: passwords; curl:
# the README's first steps talk to the API with it).
RUN_PACKAGES=(
    "${BUILD_PACKAGES[@]}"
    postgresql-15 postgresql-client-15
    openssl ca-certificates curl
)

# What ./scripts/test adds: the compose check, the shell check, memory checks, and the JSON
# Schema validator the integration tests check every response with (api/openapi.json).
TEST_PACKAGES=(
    "${RUN_PACKAGES[@]}"
    docker-compose shellcheck valgrind python3-jsonschema
)
# The mail tests' SMTP server (tests/integration/smtp_fixture.py).
TEST_PACKAGES+=(python3-aiosmtpd)
# Browser tests of web/ (tests/browser: playwright-core from npm driving Debian's Chromium).
# npm only where no npm is on the PATH: NodeSource's nodejs bundles npm and conflicts with it.
TEST_PACKAGES+=(chromium nodejs)
# The fuzz tree (tests/fuzz): clang, and libFuzzer with clang's sanitizer runtimes, which clang
# only recommends (libclang_rt.fuzzer in libclang-rt-14-dev).
TEST_PACKAGES+=(clang libclang-rt-14-dev)
# The static analysis check of api/ (tests/checks/check_cppcheck.sh).
TEST_PACKAGES+=(cppcheck)
if ! command -v npm >/dev/null 2>&1; then TEST_PACKAGES+=(npm); fi

# The run-time libraries of the container image (Dockerfile, second stage).
IMAGE_RUNTIME_PACKAGES=(libmicrohttpd12 libjansson4 libpq5 libssl3 libcurl4 ca-certificates)

# Prints the packages of the named set ($1: build, run, test or image), one a line.
packages_of() {
    case "$1" in
    build) printf '%s\n' "${BUILD_PACKAGES[@]}" ;;
    run) printf '%s\n' "${RUN_PACKAGES[@]}" ;;
    test) printf '%s\n' "${TEST_PACKAGES[@]}" ;;
    image) printf '%s\n' "${IMAGE_RUNTIME_PACKAGES[@]}" ;;
    *) return 1 ;;
    esac
}

# Prints the packages of the named set that are not installed.
packages_missing() {
    local pkg status

    while IFS= read -r pkg; do
        status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
        if [[ "$status" != installed ]]; then
            printf '%s\n' "$pkg"
        fi
    done < <(packages_of "$1")
}

# Installs what the named set lacks: nothing at all (not even apt-get update) when every
# package is there already, which makes a second run fast and offline-safe.
packages_ensure() {
    local set_name="$1"
    local -a missing

    packages_of "$set_name" >/dev/null || die "unknown package set: $set_name"
    mapfile -t missing < <(packages_missing "$set_name")
    if [[ ${#missing[@]} -eq 0 ]]; then
        info "packages: all present"
        return 0
    fi
    is_root || die "missing Debian packages (${missing[*]}); run as root to install them"
    info "packages: installing ${missing[*]}"
    if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
        no_main_cluster
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
        </dev/null
}

# Debian's postgresql package would otherwise create and start a system cluster "main" on
# port 5432; recours runs a private cluster under var/pg instead (scripts/lib/pg.sh), so tell
# pg_createcluster not to make one. createcluster.conf includes this directory.
no_main_cluster() {
    local dir=/etc/postgresql-common/createcluster.d

    mkdir -p "$dir"
    if [[ ! -e "$dir/recours.conf" ]]; then
        printf '%s\n' '# written by recours scripts/lib/packages.sh: no system cluster' \
            'create_main_cluster = false' >"$dir/recours.conf"
    fi
}

# SPDX-License-Identifier: AGPL-3.0-or-later
# recours container image: a build stage with the compiler and -dev packages, and a small
# run-time stage with the shared libraries, the binary, db-migrations/ and web/.
# The package lists live in scripts/lib/packages.sh, shared with ./scripts/run.
# See docker-compose.yml and README.md ("Docker") for how to run it.

FROM debian:12-slim AS build
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
COPY scripts/lib/packages.sh /tmp/packages.sh
RUN source /tmp/packages.sh \
    && apt-get update \
    && mapfile -t pkgs < <(packages_of build) \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    && cmake --build build --target recours -j"$(nproc)" \
    && strip --strip-debug build/recours

FROM debian:12-slim
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
COPY scripts/lib/packages.sh /tmp/packages.sh
RUN source /tmp/packages.sh \
    && apt-get update \
    && mapfile -t pkgs < <(packages_of image) \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" \
    && rm -rf /var/lib/apt/lists/* /tmp/packages.sh \
    && groupadd --system --gid 10001 recours \
    && useradd --system --uid 10001 --gid recours --home-dir /var/lib/recours \
       --shell /usr/sbin/nologin recours \
    && install -d -o recours -g recours -m 0700 /var/lib/recours

COPY --from=build /src/build/recours /usr/local/bin/recours
COPY db-migrations/ /usr/share/recours/db-migrations/
COPY web/ /usr/share/recours/web/
COPY data/ /usr/share/recours/data/

# Defaults for the image; docker-compose.yml sets the rest (database, TLS, secrets).
ENV RECOURS_MIGRATIONS_DIR=/usr/share/recours/db-migrations \
    RECOURS_WEB_DIR=/usr/share/recours/web \
    RECOURS_RISK_DOMAINS_FILE=/usr/share/recours/data/disposable_domains.txt \
    RECOURS_SECRETS_DIR=/run/secrets \
    RECOURS_PORT=8443

USER recours:recours
WORKDIR /var/lib/recours
EXPOSE 8443

# Migrate first (idempotent; refuses changed files), then serve on every interface of the
# container. Arguments given to `docker run` / compose `command` go to `recours serve`.
ENTRYPOINT ["/bin/sh", "-c", "recours migrate && exec recours serve --listen 0.0.0.0 \"$@\"", "recours"]
CMD []

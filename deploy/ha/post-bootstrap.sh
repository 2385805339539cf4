#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Run once by Patroni on the first primary after initdb ($1: a superuser connection URL): the
# application's role and database. The password is read from its secret file.
set -eu
pw="$(cat /run/secrets/pg-recours-password)"
psql -X -v ON_ERROR_STOP=1 -v pw="$pw" -d "$1" <<'SQL'
CREATE ROLE recours LOGIN PASSWORD :'pw';
CREATE DATABASE recours OWNER recours;
SQL

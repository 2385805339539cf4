#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Patroni's passwords come from Docker secrets (files), never from the compose environment:
# they are put in this process's environment only, where Patroni reads them.
set -eu
PATRONI_SUPERUSER_PASSWORD="$(cat /run/secrets/pg-superuser-password)"
PATRONI_REPLICATION_PASSWORD="$(cat /run/secrets/pg-replication-password)"
PATRONI_RESTAPI_CONNECT_ADDRESS="$(hostname):8008"
PATRONI_POSTGRESQL_CONNECT_ADDRESS="$(hostname):5432"
export PATRONI_SUPERUSER_PASSWORD PATRONI_REPLICATION_PASSWORD \
       PATRONI_RESTAPI_CONNECT_ADDRESS PATRONI_POSTGRESQL_CONNECT_ADDRESS
exec patroni /etc/patroni/patroni.yml

#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# deploy/ha/docker-compose.yml (several nodes, docs/scaling.md) is right by construction: compose
# accepts it (`config -q`), HAProxy accepts its configuration, and the resolved file keeps the
# deployment's promises: three etcd members, two Patroni-managed PostgreSQL 15 in
# synchronous_mode, HAProxy checking /readyz and Patroni's /primary and /replica, two or more
# recours nodes writing through the leader door and reading through the replica door, images
# from Debian packages, no password in the environment.
# Usage: bash check_compose_ha.sh <source dir>
set -euo pipefail

src="$(cd "${1:?usage: check_compose_ha.sh <source dir>}" && pwd -P)"
ha="$src/deploy/ha"

if ! command -v docker-compose >/dev/null 2>&1; then
    echo "check_compose_ha: SKIPPED: docker-compose is not installed (./scripts/test installs it)"
    exit 0
fi

# A copy with empty stand-ins for the secret and TLS files a deployment creates (never
# committed), so compose versions that look for them are satisfied.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/deploy/ha"
cp -r "$ha/." "$tmp/deploy/ha/"
cp "$src/Dockerfile" "$tmp/"
mkdir -p "$tmp/deploy/ha/secrets/recours" "$tmp/deploy/ha/tls"
for f in pg-superuser-password pg-replication-password pg-recours-password; do
    : >"$tmp/deploy/ha/secrets/$f"
done
: >"$tmp/deploy/ha/tls/haproxy.pem"

cd "$tmp/deploy/ha"
docker-compose -f docker-compose.yml config -q
docker-compose -f docker-compose.yml config >"$tmp/resolved.yml"

if command -v haproxy >/dev/null 2>&1; then
    # the names and the certificate exist only in the deployment: local stand-ins
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
        -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 2>/dev/null
    cat "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/haproxy.pem"
    sed -e "s#/etc/haproxy/tls/haproxy.pem#$tmp/haproxy.pem#" \
        -e 's/\(recours[0-9]*\|pg[0-9]*\):\([0-9]*\)/127.0.0.1:\2/g' haproxy.cfg >"$tmp/h.cfg"
    haproxy -c -q -f "$tmp/h.cfg"
fi

py=/usr/bin/python3
[[ -x "$py" ]] || py=python3
"$py" - "$tmp/resolved.yml" "$ha" <<'PY'
import pathlib, re, sys
import yaml

cfg = yaml.safe_load(open(sys.argv[1]))
ha = pathlib.Path(sys.argv[2])
svc = cfg.get("services", {})
bad = []

def check(ok, what):
    if not ok:
        bad.append(what)

etcd = [n for n in svc if n.startswith("etcd")]
pgs = [n for n in svc if re.fullmatch(r"pg\d+", n)]
nodes = [n for n in svc if re.fullmatch(r"recours\d+", n)]
check(len(etcd) == 3, "three etcd members")
check(len(pgs) >= 2, "two or more Patroni members")
check(len(nodes) >= 2, "two or more recours nodes")
check("haproxy" in svc, "an haproxy service")

patroni = yaml.safe_load((ha / "patroni.yml").read_text())
dcs = patroni["bootstrap"]["dcs"]
check(dcs.get("synchronous_mode") is True, "patroni: synchronous_mode")
check(dcs["loop_wait"] + 2 * dcs["retry_timeout"] <= dcs["ttl"],
      "patroni: loop_wait + 2 x retry_timeout <= ttl")
check(str(dcs["postgresql"]["parameters"].get("synchronous_commit")) == "on",
      "patroni: synchronous_commit on")
check("etcd3" in patroni, "patroni: etcd (v3) as its store")

hcfg = (ha / "haproxy.cfg").read_text()
check("GET /readyz" in hcfg, "haproxy: the nodes checked on /readyz")
check("GET /primary" in hcfg and "GET /replica" in hcfg,
      "haproxy: the leader and the replicas through Patroni's REST API")
check("port 8008" in hcfg, "haproxy: Patroni's REST API on 8008")
check("stick-table" in hcfg and "track-sc0" in hcfg, "haproxy: rate limit in a stick table")
for n in nodes:
    env = svc[n].get("environment", {})
    check(env.get("DATABASE_URL") == "postgresql://recours@haproxy:5000/recours",
          f"{n}: writes through HAProxy's leader door")
    check(env.get("RECOURS_DATABASE_READ_URL") == "postgresql://recours@haproxy:5001/recours",
          f"{n}: reads through HAProxy's replica door")
    check(env.get("PGPASSFILE", "").startswith("/run/"), f"{n}: PGPASSFILE")
    check(any(str(v).endswith(":ro") and "/run/recours-secrets" in str(v)
              for v in svc[n].get("volumes", [])), f"{n}: the shared secrets, read-only")
    check(env.get("RECOURS_TRUSTED_PROXIES") ==
          svc["haproxy"]["networks"]["ha"]["ipv4_address"], f"{n}: HAProxy trusted")
for f in ("Dockerfile.etcd", "Dockerfile.patroni", "Dockerfile.haproxy"):
    text = (ha / f).read_text()
    check(re.findall(r"^FROM\s+(\S+)", text, re.M) == ["debian:12-slim"], f"{f}: debian:12-slim")
check("postgresql-15" in (ha / "Dockerfile.patroni").read_text()
      and "patroni" in (ha / "Dockerfile.patroni").read_text(), "Dockerfile.patroni: packages")
check("etcd-server" in (ha / "Dockerfile.etcd").read_text(), "Dockerfile.etcd: etcd-server")
for name, s in svc.items():
    for k, v in (s.get("environment") or {}).items():
        check(not ("PASSWORD" in k and not k.endswith("_FILE")),
              f"{name}: {k} puts a password in the environment")
        check(re.search(r"://[^/@:]*:[^/@]*@", str(v)) is None,
              f"{name}: {k} holds a URL with a password")

for b in bad:
    print("check_compose_ha: FAILED:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "check_compose_ha: ok"

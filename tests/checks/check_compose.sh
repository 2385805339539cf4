#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# docker-compose.yml is right by construction (no container engine runs here): compose must
# accept it (`config -q`), and the resolved file must keep the deployment's promises:
# healthy database before the API, secrets as files (no password in the environment), TLS
# and secrets mounted read-only, a non-root image that migrates then serves.
# Usage: bash check_compose.sh <source dir>
set -euo pipefail

src="$(cd "${1:?usage: check_compose.sh <source dir>}" && pwd -P)"

if ! command -v docker-compose >/dev/null 2>&1; then
    echo "check_compose: SKIPPED: docker-compose is not installed (./scripts/test installs it)"
    exit 0
fi

# A copy with empty stand-ins for the secret and TLS files that a deployment creates (and
# that are never committed), so compose versions that look for them are satisfied.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$src/docker-compose.yml" "$src/Dockerfile" "$src/.dockerignore" "$tmp/"
mkdir -p "$tmp/deploy/secrets" "$tmp/deploy/tls"
for f in db-password pgpass hmac-key data-keys operator-key; do
    : >"$tmp/deploy/secrets/$f"
done
: >"$tmp/deploy/tls/cert.pem"
: >"$tmp/deploy/tls/key.pem"

cd "$tmp"
docker-compose -f docker-compose.yml config -q
docker-compose -f docker-compose.yml config >resolved.yml

# The interpreter docker-compose itself runs on, which therefore has python3-yaml.
py=/usr/bin/python3
[[ -x "$py" ]] || py=python3
"$py" - "$src" <<'PY'
import pathlib, re, sys
import yaml

src = pathlib.Path(sys.argv[1])
cfg = yaml.safe_load(open("resolved.yml"))
bad = []

def check(ok, what):
    if not ok:
        bad.append(what)

svc = cfg.get("services", {})
db, api = svc.get("db", {}), svc.get("api", {})

check(str(db.get("image", "")).startswith("postgres:15"), "db: image postgres:15")
check("pg_isready" in " ".join(db.get("healthcheck", {}).get("test", [])), "db: pg_isready healthcheck")
vols = db.get("volumes", [])
check(any(str(v).startswith("pgdata:") for v in vols), "db: named volume pgdata")
check("pgdata" in (cfg.get("volumes") or {}), "volumes: pgdata declared")
denv = db.get("environment", {})
check(denv.get("POSTGRES_PASSWORD_FILE") == "/run/secrets/db-password",
      "db: POSTGRES_PASSWORD_FILE=/run/secrets/db-password")
check([s.get("source") for s in db.get("secrets", [])] == ["db-password"], "db: secret db-password")

check(api.get("depends_on", {}).get("db", {}).get("condition") == "service_healthy",
      "api: depends_on db service_healthy")
check("build" in api, "api: built from the Dockerfile")
env = api.get("environment", {})
url = env.get("DATABASE_URL", "")
check(re.fullmatch(r"postgresql://recours@db:5432/recours", url) is not None,
      "api: DATABASE_URL without a password")
check(env.get("PGPASSFILE") == "/run/secrets/pgpass", "api: PGPASSFILE=/run/secrets/pgpass")
check(env.get("RECOURS_SECRETS_DIR") == "/run/secrets", "api: RECOURS_SECRETS_DIR=/run/secrets")
secrets = sorted(s.get("source") for s in api.get("secrets", []))
check(secrets == ["data-keys", "hmac-key", "operator-key", "pgpass"], "api: the four secrets")
mounts = {v.split(":")[1]: v for v in api.get("volumes", []) if isinstance(v, str)}
for var in ("RECOURS_TLS_CERT", "RECOURS_TLS_KEY"):
    path = env.get(var, "")
    check(path in mounts and mounts[path].endswith(":ro"), f"api: {var} mounted read-only")
check(any(int(p.get("target", 0)) == 8443 for p in api.get("ports", [])), "api: port 8443")

for name, s in svc.items():
    for k, v in (s.get("environment") or {}).items():
        check(not ("PASSWORD" in k and not k.endswith("_FILE")),
              f"{name}: {k} puts a password in the environment")
        check(re.search(r"://[^/@:]*:[^/@]*@", str(v)) is None,
              f"{name}: {k} holds a URL with a password")
for name, s in (cfg.get("secrets") or {}).items():
    check("/deploy/secrets/" in s.get("file", ""), f"secret {name}: a file under deploy/secrets")

df = (src / "Dockerfile").read_text()
froms = re.findall(r"^FROM\s+(\S+)", df, re.M)
check(len(froms) >= 2 and all(f == "debian:12-slim" for f in froms), "Dockerfile: debian:12-slim stages")
users = re.findall(r"^USER\s+(\S+)", df, re.M)
check(bool(users) and not users[-1].startswith(("root", "0")), "Dockerfile: runs as non-root")
entry = re.findall(r"^ENTRYPOINT\s+(.*)$", df, re.M)
check(bool(entry) and "recours migrate" in entry[-1] and "serve --listen 0.0.0.0" in entry[-1],
      "Dockerfile: entrypoint migrates then serves on 0.0.0.0")
ignored = (src / ".dockerignore").read_text().split()
check("deploy" in ignored and "var" in ignored, ".dockerignore: deploy and var kept out")
gitignored = (src / ".gitignore").read_text().split()
check("/deploy/secrets/" in gitignored and "/var/" in gitignored, ".gitignore: secrets kept out")

for b in bad:
    print("check_compose: FAILED:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "check_compose: ok"

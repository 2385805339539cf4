# SPDX-License-Identifier: AGPL-3.0-or-later
"""A migrated template database, so that a test file's database is a copy instead of a fresh
`recours migrate` (harness._isolate_database).

Every test file works on a database of its own, migrated before its first server starts. The
migrations took 0.4 s of PostgreSQL's time each on an idle machine and 0.7 s at the suite's
load, over a hundred times per run of the suite; CREATE DATABASE ... TEMPLATE copies the
migrated files instead (README.md, "Two commands").

The template is named after a digest of db-migrations/ (every file's name and bytes), so a
changed or added migration makes a new template and a stale one is never copied; the stale ones
are dropped when a new one is made. It is made under a name of its own and renamed when
complete, so a test never copies a half-migrated template, and two test files starting
together (ctest -j) may both make one: one rename wins, the other copy is dropped. A copy
being made carries its maker's pid: one whose maker was killed is dropped by the next run. It refuses
connections once made (ALLOW_CONNECTIONS false): CREATE DATABASE ... TEMPLATE fails while
anyone, autovacuum included, is connected to the template, and autovacuum does not visit a
database that refuses connections.

Only the per-file database is made from it: claims_fixtures.new_database still makes empty
databases, which the tests of the migrations themselves need."""

import hashlib
import os
import secrets
import subprocess
import time

PREFIX = "recours_tpl_"


def _digest(migrations_dir):
    h = hashlib.sha256()
    for name in sorted(os.listdir(migrations_dir)):
        path = os.path.join(migrations_dir, name)
        if not os.path.isfile(path):
            continue
        h.update(name.encode() + b"\0")
        with open(path, "rb") as f:
            h.update(f.read())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _retry_while_in_use(run_sql, sql, tries=100):
    """run_sql(sql), retried while PostgreSQL says someone is connected (an autovacuum worker
    that entered before ALLOW_CONNECTIONS false); False if it stayed so."""
    for _ in range(tries):
        try:
            run_sql(sql)
            return True
        except RuntimeError as e:
            if "is being accessed by other users" not in str(e):
                raise
        time.sleep(0.1)
    return False


def _existing(run_sql):
    out = run_sql(f"SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'")
    return {line.strip() for line in out.splitlines() if line.strip()}


def _orphans(name, existing):
    """The copies of template name that a test process was making when it was killed: a copy
    being made is named name_<pid>_<random> by its maker, and the maker is gone. A pid reused
    since only leaves a copy for a later run."""
    for other in existing:
        pid = other[len(name) + 1:].partition("_")[0]
        if other.startswith(name + "_") and pid.isdigit():
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                yield other
            except PermissionError:
                pass  # alive, another user's


def template_for(run_sql, url_with_database, recours_bin, migrations_dir, run_timeout):
    """The name of the migrated template for migrations_dir, made if missing. run_sql(sql)
    runs one statement on the admin URL and returns its unaligned output (raises
    RuntimeError); url_with_database(name) is that URL on another database."""
    name = PREFIX + _digest(migrations_dir)
    existing = _existing(run_sql)
    for orphan in _orphans(name, existing):
        _retry_while_in_use(run_sql, f"DROP DATABASE IF EXISTS {orphan}", tries=1)
    if name in existing:
        return name
    building = f"{name}_{os.getpid()}_{secrets.token_hex(4)}"
    run_sql(f"CREATE DATABASE {building}")
    try:
        run = subprocess.run([recours_bin, "migrate", "--migrations-dir", migrations_dir],
                             env=dict(os.environ, DATABASE_URL=url_with_database(building)),
                             capture_output=True, text=True, timeout=run_timeout)
        if run.returncode != 0:
            raise RuntimeError(f"recours migrate failed ({run.returncode}):\n{run.stdout}\n"
                               f"{run.stderr}")
        run_sql(f"ALTER DATABASE {building} WITH ALLOW_CONNECTIONS false")
        try:
            renamed = _retry_while_in_use(run_sql, f"ALTER DATABASE {building} RENAME TO {name}")
        except RuntimeError as e:
            if "already exists" not in str(e):
                raise
            renamed = False  # another test file made it first
    except BaseException:
        _retry_while_in_use(run_sql, f"DROP DATABASE IF EXISTS {building}")
        raise
    if not renamed:
        _retry_while_in_use(run_sql, f"DROP DATABASE IF EXISTS {building}")
    # the templates of earlier migrations (and their copies being made when a run was killed;
    # one of this template's may be another test file's, being made now: it is left alone)
    for stale in existing - {name}:
        if not stale.startswith(name):
            try:
                _retry_while_in_use(run_sql, f"DROP DATABASE IF EXISTS {stale}", tries=1)
            except RuntimeError:
                pass  # in use by another run of an older checkout: its own run drops it
    return name


def create_from(run_sql, template, name):
    """CREATE DATABASE name as a copy of template (retried while an autovacuum worker that
    entered the template before it refused connections is still in it)."""
    if not _retry_while_in_use(run_sql, f"CREATE DATABASE {name} TEMPLATE {template}"):
        raise RuntimeError(f"harness: the template {template} stayed in use")

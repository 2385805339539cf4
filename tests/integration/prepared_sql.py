#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The SQL text of the server's prepared statements as the server prepares them: the C
preprocessor expands a db/ file's macros, then each entry {"name", "literal" ..., n_params} of
its statement table gives name -> text, so that psql can PREPARE and EXPLAIN exactly that text
(tests/integration/test_*_plan.py, bench/risk/run.py); and the scans of a relation in a plan.
Usage: prepared_sql.py NAME [SOURCE_DIR] (NAME from api/db/risk.c, outbox.c or notices.c)."""
import os
import re
import subprocess
import sys

LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
# the db/ files whose tables the command line looks into, with their tables' names
TABLES = {"api/db/risk.c": "db_risk_statements", "api/db/outbox.c": "db_outbox_statements",
          "api/db/notices.c": "db_notices_statements"}


def statements(source_dir, source="api/db/risk.c"):
    """name -> SQL text of the statements of source's table (TABLES)."""
    inc = subprocess.run(["pg_config", "--includedir"], capture_output=True, text=True,
                         check=True).stdout.strip()
    cc = os.environ.get("CC", "cc")
    text = subprocess.run([cc, "-E", "-P", "-I", os.path.join(source_dir, "api"), "-I", inc,
                           os.path.join(source_dir, source)],
                          capture_output=True, text=True, check=True).stdout
    body = text[text.index(TABLES[source] + "[] = {"):]
    body = body[:body.index("};")]
    out = {}
    # each entry: {"name", "literal" "literal" ..., n_params},
    for entry in re.finditer(r'\{\s*((?:"(?:[^"\\]|\\.)*"\s*,?\s*)+)\d+\s*\}', body):
        lits = LITERAL.findall(entry.group(1))
        sql = "".join(bytes(x, "utf-8").decode("unicode_escape") for x in lits[1:])
        out[lits[0]] = sql
    return out


def scans_of(plan, relation, out=None):
    """Every node of an EXPLAIN (FORMAT JSON) plan that reads relation, depth first."""
    out = [] if out is None else out
    if plan.get("Relation Name") == relation:
        out.append(plan)
    for child in plan.get("Plans", []):
        scans_of(child, relation, out)
    return out


if __name__ == "__main__":
    src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../..")
    found = {}
    for source in TABLES:
        found.update(statements(src, source))
    print(found[sys.argv[1]])

#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Prints the SQL text of one of api/db/risk.c's prepared statements, as the server prepares
it (the C preprocessor expands the count macros), so that psql can PREPARE/EXPLAIN exactly
that text. Usage: statement.py NAME [SOURCE_DIR]."""
import os
import re
import subprocess
import sys

LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def statements(source_dir):
    inc = subprocess.run(["pg_config", "--includedir"], capture_output=True, text=True,
                         check=True).stdout.strip()
    cc = os.environ.get("CC", "cc")
    text = subprocess.run([cc, "-E", "-P", "-I", os.path.join(source_dir, "api"), "-I", inc,
                           os.path.join(source_dir, "api/db/risk.c")],
                          capture_output=True, text=True, check=True).stdout
    body = text[text.index("db_risk_statements[] = {"):]
    body = body[:body.index("};")]
    out = {}
    # each entry: {"name", "literal" "literal" ..., n_params},
    for entry in re.finditer(r'\{\s*((?:"(?:[^"\\]|\\.)*"\s*,?\s*)+)\d+\s*\}', body):
        lits = LITERAL.findall(entry.group(1))
        sql = "".join(bytes(x, "utf-8").decode("unicode_escape") for x in lits[1:])
        out[lits[0]] = sql
    return out


if __name__ == "__main__":
    src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../..")
    print(statements(src)[sys.argv[1]])

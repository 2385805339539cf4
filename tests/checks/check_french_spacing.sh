#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# French typography in the French catalogue (web/i18n/fr.json, read by the pages, the
# workspace and the mail): the space before : ; ? ! and » and after « is a no-break space
# (U+00A0, or U+202F), so a line never starts with the mark or ends with «. An ordinary space
# there let the dashboard's key hint break as "jusqu'à «" / "Oublier la clé »".
# Usage: bash check_french_spacing.sh <source dir>
set -euo pipefail

src="${1:?usage: check_french_spacing.sh <source dir>}"
cd "$src"
[[ -f web/i18n/fr.json ]] || { echo "check_french_spacing: web/i18n/fr.json not found" >&2; exit 1; }

python3 - web/i18n/fr.json <<'PY'
import json, re, sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    catalogue = json.load(f)
# Only the values: a key never holds prose. "https://" and times like "12:30" have no space
# before the colon, so they never match.
bad = re.compile(r"[ \t](?=[:;?!»])|«(?=[ \t])")
found = 0
for key, text in sorted(catalogue.items()):
    if bad.search(text):
        print(f"{path}: {key}: an ordinary space beside : ; ? ! « or »: {text[:80]!r}")
        found += 1
if found:
    print("check_french_spacing: FAILED (use U+00A0)", file=sys.stderr)
    sys.exit(1)
print("check_french_spacing: ok")
PY

#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# French typography in the French catalogue (web/i18n/fr.json, read by the pages and the
# workspace) and in the mail's words (api/mail/*words.c): the space before : ; ? ! and » and after « is a no-break space
# (U+00A0, or U+202F), so a line never starts with the mark or ends with «. An ordinary space
# there let the dashboard's key hint break as "jusqu'à «" / "Oublier la clé »".
# Usage: bash check_french_spacing.sh <source dir>
set -euo pipefail

src="${1:?usage: check_french_spacing.sh <source dir>}"
cd "$src"
[[ -f web/i18n/fr.json ]] || { echo "check_french_spacing: web/i18n/fr.json not found" >&2; exit 1; }
mail_words=(api/mail/*words.c)
[[ -f ${mail_words[0]} ]] || { echo "check_french_spacing: api/mail/*words.c not found" >&2; exit 1; }

python3 - web/i18n/fr.json "${mail_words[@]}" <<'PY'
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
# The mail's words are C string literals: adjacent ones are joined as the compiler does (a
# space at the end of one line and ":" at the start of the next is still a space before ":").
# English never puts a space there either, so every literal is read.
literal_run = re.compile(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*')
for source in sys.argv[2:]:
    with open(source, encoding="utf-8") as f:
        code = f.read()
    for run in literal_run.finditer(code):
        text = "".join(re.findall(r'"((?:[^"\\\n]|\\.)*)"', run.group(0)))
        if bad.search(text):
            line = code.count("\n", 0, run.start()) + 1
            print(f"{source}:{line}: an ordinary space beside : ; ? ! « or »: {text[:80]!r}")
            found += 1
if found:
    print("check_french_spacing: FAILED (use U+00A0)", file=sys.stderr)
    sys.exit(1)
print("check_french_spacing: ok")
PY

#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Every jansson setter's result is checked (docs/architecture.md §3, "Replies"): a setter
# (json_object_set*, json_array_append*, json_array_insert*, json_array_set*,
# json_array_extend, json_object_update*) fails with −1 when memory runs out or its value is
# NULL, and a document missing a member must not go out as if whole. Write them through the
# builders of api/http/json_build.h (jb_set, jb_append, jb_result), which remember a failure
# and turn it into a 503, or test the result where it is called.
# Checked: a setter called as a statement of its own, its result dropped (also when cast to
# void); a setter that is an operand of a condition continued from the line before is used. json_object_del is not a setter: deleting an absent member is no failure.
# Usage: bash check_json_setters.sh <source dir>
set -euo pipefail

src="${1:?usage: check_json_setters.sh <source dir>}"
cd "$src"
[[ -d api ]] || { echo "check_json_setters: $src/api not found" >&2; exit 1; }

setter='json_(object_set(_new)?(_nocheck)?|array_(append|insert|set)(_new)?|array_extend|object_update(_existing|_missing|_recursive)?(_new)?)'
# A line that starts with a setter is a statement of its own unless the line before leaves an
# expression open (ends with && || ( , = ?): then the setter is an operand, its result used.
# shellcheck disable=SC2016  # $0 is awk's, in awk's own single-quoted program
hits="$(find api -name '*.[ch]' -print0 | sort -z | xargs -0 awk -v re="^[[:space:]]*(\\(void\\)[[:space:]]*)?${setter}[[:space:]]*\\(" '
    FNR == 1 { prev = "" }
    $0 ~ re && prev !~ /(&&|\|\||[(,=?])[[:space:]]*$/ { printf "%s:%d:%s\n", FILENAME, FNR, $0 }
    { prev = $0 }' || true)"
if [[ -n "$hits" ]]; then
    while IFS= read -r line; do
        printf '%s   <- a jansson setter whose result is dropped: use jb_set/jb_append (api/http/json_build.h)\n' "$line"
    done <<<"$hits"
    echo "check_json_setters: FAILED" >&2
    exit 1
fi
echo "check_json_setters: ok"

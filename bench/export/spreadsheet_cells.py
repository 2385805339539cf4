#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/export/spreadsheet_cells.py NDJSON HTML [HTML...]: what a spreadsheet showed.

Each HTML is a CSV export as LibreOffice opened it and saved it as HTML (bench/export/
spreadsheet.sh); NDJSON is the same members' export in NDJSON, the values sent. Prints, per
file, one line per column: the verdict for its cells and, for the first cell that is not the
value sent, what was sent and what the sheet showed (its text, and the number LibreOffice
stored when it read one). Verdicts:
  same      the cell shows the value sent, as text;
  number    the counts and amounts: the same number;
  boolean   true/false read as the spreadsheet's TRUE/FALSE (shown in its language);
  as number digits without a leading 0 (75001) read as the number they show;
  date      a date YYYY-MM-DD read as that very date (shown in the sheet's date format);
  marked    the cell shows ' then the value sent (docs/api.md §12.2's mark for a text a
            spreadsheet would read as a formula, a number or a date);
  CHANGED   anything else: a number or a date made of a text, a formula run, mangled text.
Exit status 1 when a cell is CHANGED."""

import datetime
import html
import json
import re
import sys

NUMBERS = {"documented_loss", "hours_spent", "award"}


def sent_text(v):
    """The CSV text of an NDJSON value (docs/api.md §12.2)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "|".join(v)
    return str(v)


def cells(path):
    """The sheet's rows: lists of (shown text, stored number or None)."""
    text = open(path, encoding="utf-8").read()
    rows = []
    for row in re.findall(r"<tr.*?</tr>", text, re.S):
        out = []
        for attrs, body in re.findall(r"<td([^>]*)>(.*?)</td>", row, re.S):
            body = re.sub(r"<br\s*/?>", "\n", body)
            # LibreOffice's HTML export writes a TAB inside a cell as U+0001 (its own CSV
            # export gives the TAB back): read as the TAB the cell holds
            body = body.replace("\x01", "\t")
            shown = html.unescape(re.sub(r"<[^>]+>", "", body)).strip("\n")
            m = re.search(r'sdval="([^"]*)"', attrs)
            out.append((shown, m.group(1) if m else None))
            span = re.search(r'colspan="(\d+)"', attrs)
            out.extend([("", None)] * (int(span.group(1)) - 1 if span else 0))
        rows.append(out)
    return rows


def verdict(col, sent, shown, number):
    if col in NUMBERS and sent != "":
        return "number" if number is not None and float(number) == float(sent) else "CHANGED"
    if number is None:
        return {sent: "same", "'" + sent: "marked"}.get(shown, "CHANGED")
    if sent in ("true", "false") and shown.lower() in ("true", "false", "vrai", "faux"):
        return "boolean" if float(number) == (sent == "true") else "CHANGED"
    if shown == sent and re.fullmatch(r"[1-9][0-9]*", sent):
        return "as number"  # 75001: a number the sheet shows as sent
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", sent):
        day = datetime.date(1899, 12, 30) + datetime.timedelta(days=float(number))
        return "date" if day.isoformat() == sent else "CHANGED"
    return "CHANGED"


def main():
    members = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    columns = list(members[0])
    bad = False
    for path in sys.argv[2:]:
        rows = cells(path)
        print(f"\n{path}: {len(rows)} rows, {max(len(r) for r in rows)} columns"
              f" (sent: {len(members) + 1} rows, {len(columns)} columns)")
        header = [c[0] for c in rows[0]] if rows else []
        # the header's own words: the column names (docs/api.md §12.3)
        if header != columns:
            print(f"  header CHANGED: {header[:4]}... (sent {columns[:4]}...)")
            bad = True
        for i, col in enumerate(columns):
            seen, example = {}, {}
            for m, row in zip(members, rows[1:]):
                sent = sent_text(m[col])
                shown, number = row[i] if i < len(row) else ("<no cell>", None)
                v = verdict(col, sent, shown, number)
                seen[v] = seen.get(v, 0) + 1
                example.setdefault(v, (sent, shown, number))
            line = f"  {col:22} " + ", ".join(f"{v} {n}" for v, n in sorted(seen.items()))
            for v in ("CHANGED", "marked", "date", "boolean"):
                if v in example:
                    sent, shown, number = example[v]
                    line += f"; {v}: sent {sent!r} shown {shown!r}"
                    line += f" (a number: {number})" if number is not None else ""
            print(line)
            bad = bad or "CHANGED" in seen
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

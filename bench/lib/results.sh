# SPDX-License-Identifier: AGPL-3.0-or-later
# A bench's generated block in bench/RESULTS.md (sourced, not run). The caller defines
# SECTION (its "## " heading), MARK_BEGIN and MARK_END (the comments around the block), BLOCK
# (the file holding the new block, the markers included) and info (common.sh).
# shellcheck shell=bash

# write_results FILE: replaces the generated block of SECTION in FILE (bench/RESULTS.md),
# re-read now (another benchmark may have written its own section meanwhile; only ours is
# touched); creates the section, or the file, when missing; the hand-written text after the
# block stays. Written to a temporary file, then renamed.
write_results() {
    local file="$1" new

    new="$(mktemp "$(dirname "$file")/.RESULTS.md.XXXXXX")"
    chmod 0644 "$new" # mktemp makes it 0600; the file is a plain part of the repository
    if [[ ! -f "$file" ]]; then
        printf '# Benchmark results\n\n' >"$new"
    elif grep -qxF "$SECTION" "$file"; then
        awk -v sec="$SECTION" -v b="$MARK_BEGIN" -v e="$MARK_END" -v blk="$BLOCK" '
            function emit(line) { while ((getline line < blk) > 0) print line; close(blk) }
            $0 == sec { insec = 1; print; next }
            insec && /^## / { if (!done) { emit(); print ""; done = 1 } insec = 0 }
            insec && $0 == b { skip = 1; emit(); done = 1; next }
            skip { if ($0 == e) skip = 0; next }
            { print }
            END { if (insec && !done) { print ""; emit() } }' "$file" >"$new"
        mv -f "$new" "$file"
        info "bench/RESULTS.md: section \"${SECTION#\#\# }\" updated"
        return 0
    else
        cat "$file" >"$new"
        [[ -z "$(tail -c 1 "$file")" ]] || printf '\n' >>"$new"
        printf '\n' >>"$new"
    fi
    {
        printf '%s\n\n' "$SECTION"
        cat "$BLOCK"
    } >>"$new"
    mv -f "$new" "$file"
    info "bench/RESULTS.md: section \"${SECTION#\#\# }\" added"
}

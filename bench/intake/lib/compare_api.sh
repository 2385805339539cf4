# SPDX-License-Identifier: AGPL-3.0-or-later
# compare.sh's servers and what it asks them through the API (sourced, not run): a build's
# `recours serve` on a variant's database, the incidents, and for HEAD+mandates the approved
# association and its open actions. Needs bench/lib/server.sh and readings.sh.
# shellcheck shell=bash

# start_server VARIANT BUILD: BUILD's recours serve on VARIANT's database
start_server() {
    local v="$1" b="$2" log="$TMP/recours-$1.log"
    local -a extra=()

    if [[ "$b" == baseline ]]; then
        read -r -a extra <<<"$BASELINE_SERVE_ARGS"
    else
        read -r -a extra <<<"$HEAD_SERVE_ARGS"
    fi
    next_free_port
    (cd "${SRC[$b]}" && DATABASE_URL="$(url_for "${DB[$v]}" with-password)" exec "${BIN[$b]}" \
        serve --port "$PORT" --workers "$WORKERS" "${WRITER_FLAGS[@]}" \
        --secrets-dir "${SECRETS[$b]}" --tls-cert "$TMP/tls-$b/cert.pem" \
        --tls-key "$TMP/tls-$b/key.pem" --mail-dir "$TMP/mail-$b" \
        --migrations-dir "${SRC[$b]}/db-migrations" \
        --rate-limit-burst 1000000 --rate-limit-per-s 1000000 --shutdown-grace 2 "${extra[@]}" \
        >>"$log" 2>&1) &
    # shellcheck disable=SC2034 # read by stop_server and compare.sh's cleanup
    SERVER_PID=$!
    server_ready 150 -k && return 0
    tail -n 20 "$log" >&2
    die "recours (${LABEL[$v]}) did not become ready on port $PORT"
}

# api AUTH_FILE METHOD PATH EXPECTED [CONTENT_TYPE]: the JSON body on stdin; the answer body
# on stdout; dies on another status. Keys are read by curl from a file, never on a command
# line.
api() {
    local auth="$1" method="$2" path="$3" want="$4" ctype="${5:-application/json}" code

    code="$(curl -sk -o "$TMP/api.json" -w '%{http_code}' -X "$method" -H @"$auth" \
        -H "Content-Type: $ctype" --data-binary @- "https://127.0.0.1:$PORT$path")"
    [[ "$code" == "$want" ]] || die "$method $path: HTTP $code $(cat "$TMP/api.json")"
    cat "$TMP/api.json"
}

# create_incident BUILD SLUG: an incident of the benchmark, with BUILD's operator key
create_incident() { api "$TMP/auth-$1" POST /v1/incidents 201 >/dev/null <<<"$(incident_json "$2")"; }

# The association of HEAD+mandates, once: registered, approved (operator), one API key.
ASSOC_ID=""
make_association() {
    local key

    ASSOC_ID="$(api "$TMP/auth-head" POST /v1/associations 201 <<EOF | jq -r .id
{"name": "Association Banc d'essai", "approval_reference": "AGR-BENCH-$$",
 "approved_from": "$(date -u -d '30 days ago' +%F)", "approved_until": null,
 "country": "FR", "contact_email": "contact.bench@example.org"}
EOF
    )"
    [[ "$(api "$TMP/auth-head" PATCH "/v1/associations/$ASSOC_ID" 200 \
        application/merge-patch+json <<<'{"status": "approved"}' | jq -r .status)" == approved ]] ||
        die "the association was not approved"
    key="$(api "$TMP/auth-head" POST "/v1/associations/$ASSOC_ID/keys" 201 \
        <<<'{"label": "bench"}' | jq -r .secret)"
    (umask 077 && printf 'Authorization: Bearer %s\n' "$key" >"$TMP/auth-assoc")
    info "association $ASSOC_ID approved, key issued"
}

# open_action SLUG: an open action of the association on incident SLUG; sets ACTION_ID and
# ACTION_VERSION
open_action() {
    local out

    out="$(api "$TMP/auth-assoc" POST /v1/actions 201 <<EOF
{"incident": "$1", "title": "Action de groupe banc d'essai", "legal_basis": "gdpr-art80-1",
 "opt_in_deadline": "$(date -u -d '365 days' +%FT%TZ)", "counsel_name": "Maître Dupont",
 "counsel_email": "counsel@example.org",
 "mandate_text": "Je donne mandat à l'association de me représenter.",
 "mandate_text_version": "2026-03-bench"}
EOF
    )"
    # shellcheck disable=SC2034 # read by measure_api
    ACTION_ID="$(jq -r .id <<<"$out")"
    # shellcheck disable=SC2034 # read by measure_api
    ACTION_VERSION="$(jq -r .mandate_text_version <<<"$out")"
    [[ "$(jq -r .status <<<"$out")" == open ]] || die "the action is not open: $out"
}

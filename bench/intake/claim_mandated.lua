-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script of bench/intake/compare.sh, variant "HEAD+mandates": the claims of claim.lua
-- (loaded from the same directory, so both stay one body), each one also giving the mandate
-- of an open action with the form (docs/api.md §9.2: `action_id` + `mandate_text_version`), so the
-- intake writer stores the mandate on the claim and adds its membership row in the same
-- batch transaction.
--
--   wrk -t2 -c64 -d15s --latency -s claim_mandated.lua https://127.0.0.1:PORT -- \
--       SLUG TAG ACTION_ID MANDATE_TEXT_VERSION
--
-- The action must be open, on incident SLUG, of an approved association. Every answer must
-- still be 201 (claim.lua's response() and done() count and fail as for plain claims).

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "claim.lua")

local base_init = init
local base_request = request
local mandate = nil

function init(args)
    if args[3] == nil or args[4] == nil then
        error("usage: wrk ... -s claim_mandated.lua URL -- SLUG TAG ACTION_ID VERSION")
    end
    base_init(args)
    mandate = string.format(',"action_id":"%s","mandate_text_version":"%s"}', args[3], args[4])
end

-- claim.lua's body with the two members added before its closing brace: wrk.format is
-- wrapped for the one call request() makes, so Content-Length matches the longer body
function request()
    local format = wrk.format
    wrk.format = function(method, path, headers, body)
        local close = body:match("^.*()}")
        return format(method, path, headers, body:sub(1, close - 1) .. mandate)
    end
    local ok, req = pcall(base_request)
    wrk.format = format
    if not ok then
        error(req)
    end
    return req
end

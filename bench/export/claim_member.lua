-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script of bench/export/run.sh: exactly QUOTA mandated claims per wrk thread (the claims
-- of bench/intake/claim_mandated.lua, unique and realistic, each giving the mandate of an
-- open action, so each one makes its claimant a member of that action), then the thread
-- stops.
--
--   wrk -t2 -c32 -d600s -s claim_member.lua https://127.0.0.1:PORT -- \
--       SLUG TAG ACTION_ID MANDATE_TEXT_VERSION QUOTA0 QUOTA1 ...
--
-- QUOTAi: the claims thread i submits. wrk keeps a connection's pipeline full, so once a
-- thread has sent its quota it sends GET /healthz instead (no claim), and it stops when its
-- quota of claims has been answered 201: the action ends up with exactly the sum of the
-- quotas as members (each thread's first request is a /healthz too, see request()). wrk itself waits for -d: the caller interrupts it (SIGINT) once every
-- claim is in. done() prints
--   MEMBERS created=N other=N errors=N
-- and exits 1 when an answer was neither 201 (a claim) nor 200 (/healthz); socket errors are
-- reported only (run.sh counts the members in SQL).

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "../intake/claim_mandated.lua")

local claim_request = request
local quota, sent = 0, 0
local filler = nil
local stopped = false
created = 0
other = 0
other_codes = ""

local members_threads = {}
local base_setup = setup
function setup(thread)
    base_setup(thread)
    table.insert(members_threads, thread)
end

local base_init = init
function init(args)
    base_init(args)
    quota = tonumber(args[5 + id])
    if quota == nil then
        error("claim_member.lua: no QUOTA for thread " .. id)
    end
    filler = wrk.format("GET", "/healthz", {}, nil)
end

-- wrk calls request() once on thread 0 before the run, to check the script's requests
-- (script_verify_request), and never sends that one: every thread's first request is the
-- filler, so that no claim is lost there (elsewhere it costs one /healthz)
local first = true
function request()
    if first then
        first = false
        return filler
    end
    if sent < quota then
        sent = sent + 1
        return claim_request()
    end
    return filler
end

function response(status, headers, body)
    if status == 201 then
        created = created + 1
    elseif status ~= 200 then
        other = other + 1
        if #other_codes < 200 then
            other_codes = other_codes .. status .. " "
        end
    end
    if created >= quota and not stopped then
        stopped = true
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local c, o, codes = 0, 0, ""
    for _, t in ipairs(members_threads) do
        c = c + t:get("created")
        o = o + t:get("other")
        codes = codes .. t:get("other_codes")
    end
    local e = summary.errors
    local errors = e.connect + e.read + e.write + e.timeout
    io.write(string.format("MEMBERS created=%d other=%d errors=%d\n", c, o, errors))
    -- socket errors alone (timeouts on a loaded machine, connections cut when a thread
    -- stops on its quota) are not failures: run.sh counts the members in SQL
    if errors > 0 then
        io.stderr:write(string.format("claim_member.lua: %d socket errors\n", errors))
    end
    if o > 0 then
        io.stderr:write(string.format(
            "claim_member.lua: FAILED: %d answers were neither 201 nor 200 (first: %s)\n",
            o, codes))
        os.exit(1)
    end
end

-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script of bench/intake/run.sh: every request is a new, unique, realistic claim
-- (POST /v1/incidents/<slug>/claims, no Idempotency-Key), so every one must be answered 201.
--
--   wrk -t2 -c64 -d15s --latency -s claim.lua https://127.0.0.1:PORT -- SLUG TAG
--
-- SLUG: the incident (its data categories must include email and phone); TAG: a word unique
-- to the run, put in every email. Email, phone and identity (names + birth date) are unique
-- per request of one run: a per-thread counter and the thread number (up to 100 threads and
-- 1,000,000 claims per thread). Phones and identities repeat from one run to the next: give
-- every run an incident of its own (dedup is per incident). done() prints one line
--   RESULT requests=N created=N other=N errors=N duration_us=N p50_us=N p99_us=N ...
-- and exits 1 when any answer was not 201 or any socket error happened (fail loudly: a
-- benchmark of refusals measures nothing).

local threads = {}
local next_id = 0

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } claim_timespec;
int clock_gettime(int clk, claim_timespec *ts);
]]
local ts = ffi.new("claim_timespec")
local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local interval_ms -- nil: closed loop
local next_slot
late = 0
late_max_ms = 0

function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

local given = {"Camille", "Hélène", "Hugo", "Chloé", "Lucas", "Inès", "Jules", "Zoé",
               "Louis", "Manon", "Gabriel", "Jade"}
local family = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
                "Durand", "Leroy", "Moreau", "Simon", "Laurent"}
local streets = {"rue de Rivoli", "avenue Jean Jaurès", "boulevard Voltaire",
                 "place Bellecour", "rue de la République", "quai des Chartrons"}
local cities = {{"75001", "Paris"}, {"69002", "Lyon"}, {"33000", "Bordeaux"},
                {"13001", "Marseille"}, {"59000", "Lille"}, {"31000", "Toulouse"}}
-- about 100 characters, like a real harm description
local description = "Received a phishing SMS pretending to be the carrier right after "
    .. "the leak, then two calls about a parcel."

local path, tag
local counter = 0
created = 0
other = 0
other_codes = ""

function init(args)
    if args[1] == nil or args[2] == nil then
        error("usage: wrk ... -s claim.lua URL -- SLUG TAG")
    end
    path = "/v1/incidents/" .. args[1] .. "/claims"
    tag = args[2]
    local rate, nthreads = tonumber(os.getenv("CLAIM_RATE") or ""), tonumber(os.getenv("CLAIM_THREADS") or "")
    if rate ~= nil and rate > 0 then
        interval_ms = (nthreads or 1) * 1000 / rate
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
end

-- n as lower-case letters (base 26), so a family name stays a name and differs per claim
local function letters(n)
    local s = ""
    repeat
        s = string.char(97 + n % 26) .. s
        n = math.floor(n / 26)
    until n == 0
    return s
end

function request()
    counter = counter + 1
    local n = counter
    local c = cities[n % #cities + 1]
    local body = string.format(
        '{"claimant":{"given_name":"%s","family_name":"%s-%s","email":"%s.t%d.n%d@example.org",'
        .. '"phone":"+336%02d%06d","birth_date":"19%02d-%02d-%02d",'
        .. '"address":{"line1":"%d %s","line2":null,"postal_code":"%s","city":"%s",'
        .. '"country":"FR"}},'
        .. '"data_categories":["email","phone"],'
        .. '"harms":{"phishing":true,"identity_theft":false,"distress":%s,'
        .. '"documented_loss":%d,"hours_spent":%d,"description":"%s"},'
        .. '"payment_preference":"%s","privacy_notice_version":"2026-01"}',
        given[n % #given + 1], family[(n + id) % #family + 1], letters(n * 100 + id),
        tag, id, n, id % 100, n % 1000000, 40 + n % 60, 1 + n % 12, 1 + n % 28,
        1 + n % 200, streets[n % #streets + 1], c[1], c[2],
        (n % 2 == 0) and "true" or "false", (n * 37) % 50000, n % 20, description,
        (n % 3 == 0) and "cash" or "voucher")
    return wrk.format(nil, path, nil, body)
end

-- the wait before each request: defined only when paced, wrk then calls it before every send
-- (so that the closed loop runs exactly as without it)
if tonumber(os.getenv("CLAIM_RATE") or "") then
    function delay()
        local now = now_ms()
        next_slot = next_slot or now
        local slot = next_slot
        next_slot = next_slot + interval_ms
        if slot + 1 < now then
            late = late + 1
            late_max_ms = math.max(late_max_ms, now - slot)
            return 0
        end
        return math.max(0, math.floor(slot - now + 0.5))
    end
end

function response(status, headers, body)
    if status == 201 then
        created = created + 1
    else
        other = other + 1
        if #other_codes < 200 then
            other_codes = other_codes .. status .. " "
        end
    end
end

function done(summary, latency, requests)
    local c, o, codes, l, lm = 0, 0, "", 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("created")
        o = o + t:get("other")
        codes = codes .. t:get("other_codes")
        l = l + t:get("late")
        lm = math.max(lm, t:get("late_max_ms"))
    end
    local e = summary.errors
    local errors = e.connect + e.read + e.write + e.timeout
    io.write(string.format(
        "RESULT requests=%d created=%d other=%d errors=%d duration_us=%d p50_us=%d p90_us=%d"
        .. " p99_us=%d max_us=%d late=%d late_max_ms=%d\n",
        summary.requests, c, o, errors, summary.duration, latency:percentile(50),
        latency:percentile(90), latency:percentile(99), latency.max, l, math.floor(lm)))
    if o > 0 or errors > 0 then
        io.stderr:write(string.format(
            "claim.lua: FAILED: %d answers were not 201 (first: %s), %d socket errors"
            .. " (connect %d, read %d, write %d, timeout %d)\n",
            o, codes, errors, e.connect, e.read, e.write, e.timeout))
        os.exit(1)
    end
end

-- bench/intake.lua: wrk submits dossiers online, POST BENCH_BODY (the form without its
-- token, ending in "token=") with BENCH_COOKIE, each request with a fresh idempotency token
-- (64 hex digits: thread, random, counter), so each one makes a new dossier. At the end it
-- prints how many were received (201), how many answered as a repeat (200) and how many
-- anything else.
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   math.randomseed(os.time() * 100 + id)
   salt = math.random(0, 0x7fffffff)
   counter = 0
   received = 0
   repeats = 0
   others = 0
   body = os.getenv("BENCH_BODY")
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
end

function request()
   counter = counter + 1
   local token = string.format("%08x%08x%048d", id, salt, counter)
   return wrk.format(nil, nil, nil, body .. token)
end

function response(status, headers, body)
   if status == 201 then received = received + 1
   elseif status == 200 then repeats = repeats + 1
   else others = others + 1 end
end

function done(summary, latency, requests)
   local r, p, o = 0, 0, 0
   for _, t in ipairs(threads) do
      r = r + t:get("received")
      p = p + t:get("repeats")
      o = o + t:get("others")
   end
   io.write(string.format("answers: %d received (201), %d repeat (200), %d other\n", r, p, o))
end

-- bench/lookup.lua: wrk looks up dossiers as citizens do, GET /tra-cuu-ho-so?ma=CODE&sdt=LAST4,
-- each request a code drawn at random from BENCH_CODES (lines "CODE LAST4", existing
-- dossiers). At the end it prints how many answers found the dossier (200) and how many
-- were anything else (a 404 means a wrong code, a 429 the throttle).
local codes = {}

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   for line in io.lines(os.getenv("BENCH_CODES")) do
      local code, last4 = line:match("^(%S+) (%d%d%d%d)$")
      if code then codes[#codes + 1] = "/tra-cuu-ho-so?ma=" .. code .. "&sdt=" .. last4 end
   end
   assert(#codes > 0, "no codes in BENCH_CODES")
   math.randomseed(os.time() + #threads)
   found = 0
   others = 0
end

function request()
   return wrk.format("GET", codes[math.random(#codes)])
end

function response(status, headers, body)
   if status == 200 then found = found + 1 else others = others + 1 end
end

function done(summary, latency, requests)
   local f, o = 0, 0
   for _, t in ipairs(threads) do
      f = f + t:get("found")
      o = o + t:get("others")
   end
   io.write(string.format("answers: %d found (200), %d other\n", f, o))
end

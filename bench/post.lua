-- bench/post.lua: wrk sends the same form POST again and again (BENCH_COOKIE, BENCH_BODY)
-- and, at the end, prints how many answers were the expected redirect (303) and how many
-- were anything else, so that refused writes are never counted as writes.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   redirects = 0
   others = 0
end

function response(status, headers, body)
   if status == 303 then redirects = redirects + 1 else others = others + 1 end
end

function done(summary, latency, requests)
   local r, o = 0, 0
   for _, t in ipairs(threads) do
      r = r + t:get("redirects")
      o = o + t:get("others")
   end
   io.write(string.format("answers: %d saved (303), %d other\n", r, o))
end

-- bench/post.lua: wrk sends the same form POST again and again (BENCH_COOKIE, BENCH_BODY).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

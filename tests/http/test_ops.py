"""Operations: /healthz for a load balancer, and the Prometheus metrics on their own
address (off by default)."""
import os
import re
import time

import pytest
import requests

from conftest import ROOT, TIMEOUT, free_port, phuong

NO_PROXY = {"http": None, "https": None}


def listening_ports(pid):
    """The TCP ports the process pid listens on (IPv4 and IPv6), from /proc."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", link)
        if m:
            inodes.add(m.group(1))
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for row in f:
                cols = row.split()
                if cols[3] == "0A" and cols[9] in inodes:  # LISTEN
                    ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def samples(text):
    """{series: value} of a Prometheus text page (series with its labels as written)."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            out[series] = float(value)
    return out


def test_healthz_answers_ok_without_session_or_cache(demo):
    r = requests.get(demo.base + "/healthz", timeout=TIMEOUT, proxies=NO_PROXY)
    assert r.status_code == 200
    assert r.text.strip() == "ok"
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.headers.get("Cache-Control") == "no-store"
    assert "Set-Cookie" not in r.headers
    assert "X-Cache" not in r.headers


def test_healthz_writes_nothing(fresh):
    fresh.client().get("/healthz")  # a first request may make the unit's rows
    before = fresh.db.value("SELECT generation FROM page_generation WHERE unit_id = 1")
    count = fresh.db.value("SELECT count(*) FROM audit_log")
    for _ in range(5):
        assert fresh.client().get("/healthz").status_code == 200
    assert fresh.db.value("SELECT generation FROM page_generation WHERE unit_id = 1") == before
    assert fresh.db.value("SELECT count(*) FROM audit_log") == count


def test_healthz_is_503_when_the_store_does_not_answer(fresh):
    c = fresh.client()
    assert c.get("/healthz").status_code == 200
    # The check reads the migrations' table: without it the store cannot answer.
    fresh.db.run("ALTER TABLE schema_migrations RENAME TO schema_migrations_away")
    try:
        r = c.get("/healthz")
        assert r.status_code == 503, r.text
        assert r.text.strip() == "unavailable"
    finally:
        fresh.db.run("ALTER TABLE schema_migrations_away RENAME TO schema_migrations")
    assert c.get("/healthz").status_code == 200
    assert "healthz: the database did not answer" in whole_log(fresh)


def test_no_metrics_listener_by_default(demo):
    assert listening_ports(demo.proc.pid) == {demo.port}
    assert "metrics:" not in whole_log(demo)
    r = demo.client().get("/metrics")
    assert r.status_code == 404  # the portal itself never serves them


def test_metrics_on_their_own_address_and_counts_move(start_server, tmp_path):
    port = free_port()
    server = start_server(tmp_path / "data", extra_args=("--metrics-listen", "127.0.0.1:%d" % port))
    assert listening_ports(server.proc.pid) == {server.port, port}
    url = "http://127.0.0.1:%d/metrics" % port

    def scrape():
        r = requests.get(url, timeout=TIMEOUT, proxies=NO_PROXY)
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        return r.text, samples(r.text)

    text, before = scrape()
    for family, kind in (("phuong_http_requests_total", "counter"),
                         ("phuong_http_request_duration_seconds", "histogram"),
                         ("phuong_page_cache_hits_total", "counter"),
                         ("phuong_db_pool_waits_total", "counter"),
                         ("phuong_db_pool_wait_seconds_total", "counter"),
                         ("phuong_dossiers", "gauge"),
                         ("process_resident_memory_bytes", "gauge"),
                         ("phuong_uptime_seconds", "gauge")):
        assert "# TYPE %s %s\n" % (family, kind) in text
    assert before["process_resident_memory_bytes"] > 1e6
    assert before["phuong_dossiers_scrape_ok"] == 1

    server.client("admin")  # a sign-in: staff pages
    c = server.client()
    for _ in range(3):
        assert c.get("/").status_code == 200
    assert c.get("/static/site.css").status_code == 200
    assert c.get("/khong-co-trang-nay").status_code == 404
    assert c.get("/thu-tuc.json").status_code == 200
    assert c.get("/healthz").status_code == 200

    # A request is counted when its answer has gone: the last one may be a moment late.
    deadline = time.monotonic() + 5
    while True:
        _, after = scrape()
        key = 'phuong_http_requests_total{class="health",code="2xx"}'
        if after.get(key, 0) > before.get(key, 0) or time.monotonic() > deadline:
            break
        time.sleep(0.05)

    def moved(series):
        return after.get(series, 0) - before.get(series, 0)
    assert moved('phuong_http_requests_total{class="static",code="2xx"}') >= 1
    assert moved('phuong_http_requests_total{class="public",code="4xx"}') >= 1
    assert moved('phuong_http_requests_total{class="health",code="2xx"}') == 1
    assert moved('phuong_http_requests_total{class="api",code="2xx"}') >= 1
    assert moved('phuong_http_requests_total{class="staff",code="3xx"}') >= 1
    assert moved('phuong_http_requests_total{class="cached",code="2xx"}') >= 1
    assert moved("phuong_page_cache_hits_total") >= 1
    assert moved("phuong_page_cache_misses_total") >= 1
    assert moved("phuong_db_pool_acquires_total") >= 3
    assert moved('phuong_http_request_duration_seconds_count{class="static"}') >= 1
    assert (after['phuong_http_request_duration_seconds_bucket{class="static",le="+Inf"}']
            == after['phuong_http_request_duration_seconds_count{class="static"}'])
    assert after["phuong_uptime_seconds"] > before["phuong_uptime_seconds"]

    other = requests.get("http://127.0.0.1:%d/" % port, timeout=TIMEOUT, proxies=NO_PROXY)
    assert other.status_code == 404


def test_dossiers_by_status_are_counted(start_server, tmp_path):
    port = free_port()
    server = start_server(tmp_path / "data", extra_args=("--metrics-listen", "127.0.0.1:%d" % port))
    unit = server.db.value("SELECT code FROM unit WHERE id = 1")
    proc = server.db.value("SELECT id FROM procedure WHERE unit_id = 1 ORDER BY id LIMIT 1")
    version = server.db.value("SELECT id FROM procedure_version WHERE procedure_id = %s "
                              "ORDER BY id LIMIT 1" % proc)
    for i, status in enumerate(("received", "received", "processing")):
        server.db.run("INSERT INTO dossier (unit_id, code, procedure_id, procedure_version_id, "
                      "channel, applicant_name, received_at, due_at, status, national_status) "
                      "VALUES (1, 'T-%d', %s, %s, 'counter', 'Nguyễn Văn A', 1, 2, '%s', 1)"
                      % (i, proc, version, status))
    got = samples(requests.get("http://127.0.0.1:%d/metrics" % port, timeout=TIMEOUT,
                               proxies=NO_PROXY).text)
    assert got['phuong_dossiers{unit="%s",status="received"}' % unit] == 2
    assert got['phuong_dossiers{unit="%s",status="processing"}' % unit] == 1


@pytest.mark.parametrize("value", ["nonsense", "127.0.0.1", "localhost:9108", "1.2.3.4:0"])
def test_a_bad_metrics_address_is_refused(scratch, value):
    r = phuong("serve", "--data", scratch / "data", "--metrics-listen", value, timeout=30)
    assert r.returncode == 2
    assert "--metrics-listen" in r.stderr


def test_metrics_listen_from_the_config_file(start_server, tmp_path):
    port = free_port()
    ini = tmp_path / "phuong.ini"
    ini.write_text("[server]\nmetrics_listen = 127.0.0.1:%d\n" % port)
    server = start_server(tmp_path / "data", extra_args=("--config", str(ini)))
    assert port in listening_ports(server.proc.pid)
    r = requests.get("http://127.0.0.1:%d/metrics" % port, timeout=TIMEOUT, proxies=NO_PROXY)
    assert r.status_code == 200


def seccomp_filters(pid, tid=None):
    """The seccomp filters on a thread (Seccomp_filters of /proc status; a container's
    runtime may have put some on every process, this test's too)."""
    path = "/proc/%d/task/%s/status" % (pid, tid) if tid else "/proc/%d/status" % pid
    with open(path) as f:
        for line in f:
            if line.startswith("Seccomp_filters:"):
                return int(line.split()[1])
    pytest.skip("the kernel does not report Seccomp_filters")


def server_filters(pid):
    """{thread id: its number of seccomp filters} of every thread of process pid."""
    return {tid: seccomp_filters(pid, tid) for tid in os.listdir("/proc/%d/task" % pid)}


def whole_log(server):
    """Everything the server wrote so far (Server.log() keeps only the tail)."""
    server.log()  # flushes
    return server.stderr_path.read_bytes().decode("utf-8", "replace")


def test_serve_runs_under_the_seccomp_filter(demo):
    log = whole_log(demo)
    if "seccomp filter not installed: sanitizer build" in log:
        pytest.skip("sanitizer build: the filter is skipped, as it logs")
    assert "seccomp filter active" in log
    ours = seccomp_filters(os.getpid())
    filters = server_filters(demo.proc.pid)
    assert len(filters) >= 3  # the main thread, the server's pool, the flusher
    assert set(filters.values()) == {ours + 1}, filters  # every thread, not only one
    assert demo.client().get("/").status_code == 200


def test_no_seccomp_turns_the_filter_off(start_server, tmp_path):
    server = start_server(tmp_path / "data", extra_args=("--no-seccomp",))
    assert "seccomp filter off" in whole_log(server)
    assert set(server_filters(server.proc.pid).values()) == {seccomp_filters(os.getpid())}
    assert server.client().get("/healthz").status_code == 200


def test_a_bad_seccomp_mode_is_refused(scratch):
    r = phuong("serve", "--data", scratch / "data", "--seccomp", "maybe", timeout=30)
    assert r.returncode == 2
    assert "--seccomp" in r.stderr


def test_dev_mode_reloads_templates_under_the_filter(start_server, tmp_path):
    """A rare path after start-up: --dev scans the templates folder again (stat, open,
    getdents) and compiles what changed, with the filter on."""
    import shutil
    share = tmp_path / "share"
    for folder in ("templates", "static", "po", "data"):
        shutil.copytree(ROOT / folder, share / folder)
    server = start_server(tmp_path / "data", extra_args=("--dev", "--share", str(share)))
    c = server.client()
    assert "Disallow: /quan-tri" in c.get("/robots.txt").text
    robots = share / "templates" / "feeds" / "robots.txt"
    robots.write_text(robots.read_text() + "# đã đổi\n")
    (share / "templates" / "feeds" / "new-one.txt").write_text("mới\n")
    deadline = time.monotonic() + 10
    while "# đã đổi" not in c.get("/robots.txt").text:
        assert time.monotonic() < deadline, "the changed template was not reloaded"
        time.sleep(0.3)
    log = whole_log(server)
    assert "seccomp filter active" in log or "sanitizer build" in log
    assert "seccomp: system call" not in log


def test_postgresql_reconnects_under_the_filter(fresh):
    """A rare path after start-up: the database drops every session (a failover, a
    restart); the pool's connections open again, with the filter on."""
    if fresh.db.engine != "postgresql":
        pytest.skip("PostgreSQL only (PHUONG_TEST_PG)")
    c = fresh.client()
    assert c.get("/healthz").status_code == 200
    name = fresh.database.rsplit("/", 1)[1]
    fresh.db.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                 "WHERE datname = '%s' AND pid <> pg_backend_pid()" % name)
    codes = [c.get("/healthz").status_code for _ in range(fresh_pool_size(fresh) + 2)]
    assert codes[-1] == 200, codes  # a lost connection answers 503 once, then reopens
    assert c.get("/thu-tuc").status_code == 200
    log = whole_log(fresh)
    assert "reconnected to postgresql" in log
    assert "seccomp: system call" not in log


def fresh_pool_size(server):
    """The pool of a test server: threads (the cores, 2..32) + 1."""
    return max(2, min(32, os.cpu_count() or 2)) + 1

"""Fixtures of the HTTP end-to-end tests: the real server on a loopback port.

PHUONG_BIN names the binary (tools/test sets it; build/phuong by default). Each server
gets a fresh data directory with two staff accounts (admin, editor) made with the
command line, is started with `serve --demo`, and must stop cleanly (exit 0 within
10 s of SIGTERM) when its fixture ends.

The store: SQLite in the data directory, or, when PHUONG_TEST_PG names a PostgreSQL
server (tools/test --store postgresql starts one), a database of its own on that server
for each data directory: phuong() adds `--database URL` to every command given `--data
DIR`, so the tests are the same on both stores.

  demo        session-wide server for tests that only read (anonymous clients)
  module_server  one server per test file, for files whose tests write a little
  fresh       a server of its own for the test
"""
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from dbutil import Db
from util import parse, squash

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("PHUONG_BIN") or str(ROOT / "build" / "phuong")
PASSWORDS = {"admin": "Quản trị viên 2015 #9", "editor": "Biên tập viên 2015 #9"}
TIMEOUT = 30  # seconds for one request: generous for the sanitizer build
PG = os.environ.get("PHUONG_TEST_PG", "").rstrip("/")
STORE = "postgresql" if PG else "sqlite"
_databases = {}


def database_url(data):
    """The store URL of a data directory: its SQLite file, or a PostgreSQL database made
    for it on first use."""
    data = str(Path(data).resolve())
    if not PG:
        return "sqlite:%s/phuong.db" % data
    if data not in _databases:
        name = "t%d_%d" % (os.getpid(), len(_databases))
        r = subprocess.run(["createdb", "--maintenance-db", PG + "/postgres", name],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, "createdb %s: %s" % (name, r.stderr)
        _databases[data] = "%s/%s" % (PG, name)
    return _databases[data]


def with_database(args):
    """args with `--database URL` added after `--data DIR` on PostgreSQL."""
    args = [str(a) for a in args]
    if PG and "--data" in args and "--database" not in args:
        i = args.index("--data")
        if i + 1 < len(args):
            args[i + 2:i + 2] = ["--database", database_url(args[i + 1])]
    return args


def phuong(*args, stdin=None, timeout=120):
    """Runs the binary with args; returns the CompletedProcess (text mode)."""
    return subprocess.run([BIN, *with_database(args)], input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A browser-like client: one cookie jar, no proxies, redirects not followed unless
    asked (allow_redirects=True). host: the Host header sent (which selects the unit),
    when not the loopback address."""

    def __init__(self, server, host=None):
        self.server = server
        self.base = server.base
        self.s = requests.Session()
        self.s.trust_env = False
        if host:
            self.s.headers["Host"] = host

    def url(self, path):
        return path if path.startswith("http") else self.base + path

    def get(self, path, **kw):
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("allow_redirects", False)
        return self.s.get(self.url(path), **kw)

    def post(self, path, data=None, **kw):
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("allow_redirects", False)
        return self.s.post(self.url(path), data=data, **kw)

    def page(self, path, **kw):
        """GET following redirects; returns (response, lxml document)."""
        kw.setdefault("allow_redirects", True)
        r = self.get(path, **kw)
        return r, parse(r.content)

    @staticmethod
    def csrf(page_html, action=None):
        """The value of the hidden input name="csrf" in the page (in the form whose action
        ends with `action`, when given and there is one)."""
        doc = page_html if hasattr(page_html, "xpath") else parse(page_html)
        if action:
            for form in doc.xpath("//form"):
                if (form.get("action") or "").split("?")[0].endswith(action):
                    found = form.xpath('.//input[@name="csrf"]/@value')
                    if found:
                        return found[0]
        found = doc.xpath('//input[@name="csrf"]/@value')
        assert found, "no csrf input in the page"
        return found[0]

    def csrf_from(self, path, action=None):
        """GETs path and returns its CSRF token."""
        r, doc = self.page(path)
        assert r.status_code == 200, (path, r.status_code)
        return self.csrf(doc, action)

    def login(self, user, pw=None):
        pw = PASSWORDS.get(user, "") if pw is None else pw
        token = self.csrf_from("/quan-tri/dang-nhap")
        return self.post("/quan-tri/dang-nhap",
                         {"username": user, "password": pw, "csrf": token})

    def logged_in(self, user):
        r = self.login(user)
        assert r.status_code == 303, ("login as %s" % user, r.status_code, squash(r.text)[:300])
        return self

    def set_own_password(self, current, new):
        """Replaces the signed-in account's password (a one-time one at first sign-in)."""
        token = self.csrf_from("/quan-tri/mat-khau")
        return self.post("/quan-tri/mat-khau", {"csrf": token, "current_password": current,
                                                "password": new, "password_again": new})

    def logout(self):
        r, doc = self.page("/quan-tri")
        return self.post("/quan-tri/dang-xuat", {"csrf": self.csrf(doc, "/quan-tri/dang-xuat")})


class Server:
    """A phuong serving data (a folder) on a free loopback port. database: the store URL
    when it is not the data folder's own (a second node on the same PostgreSQL
    database)."""

    def __init__(self, data, demo=True, users=True, database=None, extra_args=()):
        self.data = Path(data)
        self.data.mkdir(parents=True, exist_ok=True)
        self.database = database or database_url(self.data)
        self.db = Db(self.database)
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = None
        self.returncode = None
        if users:
            for user, role in (("admin", "admin"), ("editor", "editor")):
                r = phuong("user", "add", user, "--role", role, "--data", self.data,
                           "--database", self.database, "--password-stdin",
                           stdin=PASSWORDS[user] + "\n")
                assert r.returncode == 0, "user add %s: %s%s" % (user, r.stdout, r.stderr)
        args = [BIN, "serve", "--listen", "127.0.0.1:%d" % self.port, "--data", str(self.data),
                "--database", self.database, *extra_args]
        if demo:
            args.append("--demo")
        self.stderr_path = self.data.parent / ("%s-server.stderr" % self.data.name)
        self.stderr = open(self.stderr_path, "w+b")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.stderr,
                                     stderr=self.stderr, cwd=ROOT)
        self._wait_ready(20)

    def log(self):
        self.stderr.flush()
        return self.stderr_path.read_bytes().decode("utf-8", "replace")[-6000:]

    def _wait_ready(self, limit):
        deadline = time.monotonic() + limit
        while True:
            if self.proc.poll() is not None:
                pytest.fail("server exited %s before answering:\n%s"
                            % (self.proc.returncode, self.log()), pytrace=False)
            try:
                r = requests.get(self.base + "/robots.txt", timeout=2,
                                 proxies={"http": None, "https": None})
                if r.status_code < 500:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                pytest.fail("server did not answer GET /robots.txt within %d s:\n%s"
                            % (limit, self.log()), pytrace=False)
            time.sleep(0.1)

    def client(self, login=None, host=None):
        c = Client(self, host)
        return c.logged_in(login) if login else c

    def stop(self):
        """SIGTERM; returns the exit status (None if it did not stop within 10 s)."""
        if self.returncode is None and self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.returncode = self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.returncode = "still running 10 s after SIGTERM"
        return self.returncode

    def check_stopped_cleanly(self):
        rc = self.stop()
        self.stderr.close()
        assert rc == 0, "server did not shut down cleanly (%s):\n%s" % (
            rc, self.stderr_path.read_bytes().decode("utf-8", "replace")[-6000:])


def _serve(tmp_path_factory, name, **kw):
    data = tmp_path_factory.mktemp(name) / "data"
    server = Server(data, **kw)
    try:
        yield server
    finally:
        server.check_stopped_cleanly()


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The shared read-only demo server. Tests using it don't write."""
    yield from _serve(tmp_path_factory, "demo")


@pytest.fixture(scope="module")
def module_server(tmp_path_factory, request):
    yield from _serve(tmp_path_factory, re.sub(r"\W", "_", request.module.__name__))


@pytest.fixture
def fresh(tmp_path_factory, request):
    yield from _serve(tmp_path_factory, re.sub(r"\W", "_", request.node.name)[:40])


@pytest.fixture
def anon(demo):
    """A new anonymous client of the demo server."""
    return demo.client()


@pytest.fixture
def start_server():
    """Starts more servers (e.g. on a restored data dir); all are checked on teardown."""
    started = []

    def start(data, **kw):
        s = Server(data, **kw)
        started.append(s)
        return s
    yield start
    for s in started:
        s.check_stopped_cleanly()


@pytest.fixture
def scratch():
    with tempfile.TemporaryDirectory(prefix="phuong-test-") as d:
        yield Path(d)

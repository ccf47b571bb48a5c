"""What a client names is checked before it is used (issue 9, items 1 and 2).

- A redirect target a client gives (`next` of the language switch and of the sign-in)
  must be a path of this site as a browser reads it: every known bypass falls back.
- The Host header never reaches an absolute URL of another visitor's page: feeds, the
  sitemap, canonical links and og:url come from the unit's configured names (`base_url`,
  the province's host names), or, when none is configured, a page made for one Host is
  kept and served for that Host only. In a province an unknown host name is 404; a Host
  that is no host name is 400.
"""
import re
import socket
import urllib.parse

import pytest

from conftest import PASSWORDS, Client, _serve, phuong
from util import parse, squash, text

ATTACKER = "attacker.example"
PROVINCE_PASSWORD = "Quản trị cấp tỉnh 2025 #1"
PASSWORDS_EDITOR = PASSWORDS["editor"]

# Each value of `next` as the server receives it (decoded once), and raw query strings
# as a client may send them (decoded by the server). None must lead off the site.
BYPASSES = [
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example",
    " //evil.example", "/\\evil.example", "\\/evil.example", "\\\\evil.example",
    "//evil.example", "///evil.example", "/%2F/evil.example", "/%2f/evil.example",
    "/%5Cevil.example", "/%5cevil.example", "/%09/evil.example", "/%252F/evil.example",
    "https://evil.example", "http:evil.example", "HTTPS://evil.example/",
    "javascript:alert(1)", "\uff0f\uff0fevil.example", "/\uff0f/evil.example",
    "/\u2215evil.example", "\u3002/evil.example", "/\u00a0/evil.example",
    "evil.example", "/\x7f/evil.example", "/\x0b/evil.example",
]
RAW_QUERIES = ["next=/%09/evil.example", "next=%2F%2Fevil.example", "next=/%5Cevil.example",
               "next=/%252F/evil.example", "next=%5C%2Fevil.example", "next=/%0D%0A/evil.example",
               "next=%E2%88%95%E2%88%95evil.example", "next=/%00//evil.example"]


def browser_target(location, base):
    """Where a browser goes for a Location header on a page of base (WHATWG URL parsing of
    a special scheme: controls and blanks around it dropped, tab and newlines dropped
    inside, backslash read as slash)."""
    loc = location.strip("".join(map(chr, range(0x21))))
    loc = re.sub(r"[\t\n\r]", "", loc).replace("\\", "/")
    return urllib.parse.urlsplit(urllib.parse.urljoin(base + "/page", loc))


def assert_stays_home(server, response, fallback):
    assert response.status_code == 303, response.status_code
    loc = response.headers["Location"]
    assert browser_target(loc, server.base).netloc == urllib.parse.urlsplit(server.base).netloc, loc
    assert loc == fallback, loc


@pytest.fixture(scope="module")
def ward(tmp_path_factory):
    """A single ward started as the README's first try: no base_url."""
    yield from _serve(tmp_path_factory, "host_ward")


@pytest.mark.parametrize("target", BYPASSES)
def test_language_switch_stays_on_the_site(ward, target):
    r = Client(ward).get("/ngon-ngu/en", params={"next": target})
    assert_stays_home(ward, r, "/")


@pytest.mark.parametrize("query", RAW_QUERIES)
def test_language_switch_raw_queries(ward, query):
    r = Client(ward).get("/ngon-ngu/vi?" + query)
    if "%00" in query:  # a NUL in the query is refused whole, before any route runs
        assert r.status_code == 400 and "Location" not in r.headers, r.status_code
        return
    assert_stays_home(ward, r, "/")


def test_language_switch_keeps_a_path_of_the_site(ward):
    r = Client(ward).get("/ngon-ngu/en", params={"next": "/thu-tuc"})
    assert r.status_code == 303 and r.headers["Location"] == "/thu-tuc"


def test_sign_in_stays_on_the_site(ward):
    decoded = [urllib.parse.unquote(q[5:]) for q in RAW_QUERIES]
    for target in BYPASSES + [d for d in decoded if "\x00" not in d]:
        c = Client(ward)
        r, doc = c.page("/quan-tri/dang-nhap", params={"next": target})
        assert doc.xpath('//input[@name="next"]/@value') == ["/quan-tri"], repr(target)
        token = c.csrf(doc)
        r = c.post("/quan-tri/dang-nhap", {"username": "editor", "password": PASSWORDS_EDITOR,
                                            "csrf": token, "next": target})
        assert_stays_home(ward, r, "/quan-tri")
    c = Client(ward)
    r = c.post("/quan-tri/dang-nhap", {"username": "editor", "password": PASSWORDS_EDITOR,
                                        "csrf": c.csrf_from("/quan-tri/dang-nhap"),
                                        "next": "/quan-tri/bai-viet"})
    assert r.status_code == 303 and r.headers["Location"] == "/quan-tri/bai-viet"
    # The sign-in page a visitor is sent to keeps the page asked for.
    r = Client(ward).get("/quan-tri/bai-viet")
    assert r.headers["Location"] == "/quan-tri/dang-nhap?next=%2Fquan-tri%2Fbai-viet"


def absolute_urls(body):
    """The absolute URLs of a page or feed, but its XML namespace names."""
    names = set(re.findall(r'xmlns(?::\w+)?="([^"]+)"', body))
    return set(re.findall(r"https?://[^\s\"<>]+", body)) - names


def procedure_path(server):
    code = server.db.value("SELECT code FROM procedure WHERE unit_id = 1 AND is_active = 1"
                           " ORDER BY id LIMIT 1")
    assert code, "the demo has no procedure"
    return "/thu-tuc/%s" % code


POISONED = ["/rss.xml", "/atom.xml", "/sitemap.xml", "/", "/robots.txt"]


def test_a_page_made_for_another_host_is_never_served_to_this_one(ward):
    """No base_url: the attacker's Host gets a page of its own, never kept for others."""
    for path in POISONED + [procedure_path(ward)]:
        for _ in range(2):
            r = Client(ward, host=ATTACKER).get(path)
            assert r.status_code == 200, (path, r.status_code)
        for _ in range(2):  # a MISS, then a HIT: neither is the attacker's
            r = Client(ward).get(path)
            assert r.status_code == 200
            assert ATTACKER not in r.text, (path, r.headers.get("X-Cache"),
                                            sorted(absolute_urls(r.text))[:3])
            urls = absolute_urls(r.text)
            assert urls or path in ("/", "/robots.txt"), path
            assert all(u.startswith(ward.base + "/") for u in urls), (path, urls)
    doc = parse(Client(ward).get(procedure_path(ward)).content)
    assert doc.xpath('//link[@rel="canonical"]/@href')[0].startswith(ward.base + "/thu-tuc/")
    assert doc.xpath('//meta[@property="og:url"]/@content')[0].startswith(ward.base + "/")


def test_the_dashboard_asks_for_base_url_when_none_is_set(ward):
    admin = ward.client(login="admin")
    r, doc = admin.page("/quan-tri")
    notice = doc.xpath('//*[@id="base-url-notice"]')
    assert notice and "base_url" in text(notice[0]), squash(text(doc))[:400]
    editor = ward.client(login="editor")
    r, doc = editor.page("/quan-tri")
    assert not doc.xpath('//*[@id="base-url-notice"]')


def raw_status(port, host_bytes):
    """Status of GET / with a Host header of exactly these bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: " + host_bytes + b"\r\nConnection: close\r\n\r\n")
        reply = b""
        while b"\r\n" not in reply:
            got = sock.recv(4096)
            if not got:
                break
            reply += got
    m = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    assert m, reply[:200]
    return int(m.group(1))


@pytest.mark.parametrize("host", [b"\xff\xfe.example", b"x\xc3", b"\xc0\xae.example",
                                  b"a\x01b.example", b"a\x7fb", b"a" * 300, b"evil.example/x",
                                  b"evil.example\\x", b"user@evil.example", b"a b",
                                  b"evil.example:80x", b"[::1", b"\"><script>"])
def test_a_host_that_is_no_host_name_is_400(ward, host):
    assert raw_status(ward.port, host) == 400


def test_good_hosts_are_served(ward):
    for host in (b"127.0.0.1:%d" % ward.port, b"localhost", b"[::1]:8080",
                 "xã-bình-an.vn".encode(), b"PHUONG9.EXAMPLE.VN:443"):
        assert raw_status(ward.port, host) == 200, host


# ---- a configured base_url, and a province --------------------------------------

BASE = "https://phuong9.example.gov.vn"


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    yield from _serve(tmp_path_factory, "host_configured", extra_args=("--base-url", BASE))


def test_with_base_url_every_absolute_url_is_the_configured_one(configured):
    s = configured
    for path in POISONED + [procedure_path(s)]:
        for host in (ATTACKER, None, ATTACKER):
            r = Client(s, host=host).get(path)
            assert r.status_code == 200, (path, host, r.status_code)
            urls = absolute_urls(r.text)
            assert ATTACKER not in r.text and "127.0.0.1" not in r.text, (path, host)
            assert all(u.startswith(BASE + "/") for u in urls), (path, host, urls)
    r, doc = s.client(login="admin").page("/quan-tri")
    assert r.status_code == 200 and not doc.xpath('//*[@id="base-url-notice"]')


HOST_B = "xa-binh-an.test"
HOST_B2 = "www.xa-binh-an.test"


@pytest.fixture(scope="module")
def province(configured):
    """The configured server becomes a province: unit 2 on HOST_B (first) and HOST_B2."""
    s = configured
    r = phuong("user", "add", "tinh", "--role", "province_admin", "--data", s.data,
               "--database", s.database, "--password-stdin", stdin=PROVINCE_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    admin = Client(s)
    token = admin.csrf_from("/quan-tri/dang-nhap")
    assert admin.post("/quan-tri/dang-nhap", {"username": "tinh", "password": PROVINCE_PASSWORD,
                                              "csrf": token}).status_code == 303
    token = admin.csrf_from("/quan-tri/tinh/don-vi", "/quan-tri/tinh/don-vi")
    r = admin.post("/quan-tri/tinh/don-vi", {"csrf": token, "code": "27001", "name": "Xã Bình An",
                                             "hosts": "%s %s" % (HOST_B, HOST_B2),
                                             "admin": "quantri-b"})
    assert r.status_code == 201, squash(r.text)[:300]
    return s


def test_a_province_answers_no_unit_under_an_unknown_name(province):
    s = province
    for path in ["/", "/rss.xml", "/sitemap.xml", "/quan-tri/dang-nhap", "/thu-tuc"]:
        r = Client(s, host=ATTACKER).get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert ATTACKER not in r.text
        assert "Xã Bình An" not in r.text
    # The names configured, and the loopback address of health checks, are served.
    assert Client(s, host=HOST_B).get("/").status_code == 200
    assert Client(s, host=HOST_B2.upper() + ":8080").get("/").status_code == 200
    assert Client(s, host="phuong9.example.gov.vn").get("/").status_code == 200
    assert Client(s).get("/").status_code == 200
    assert Client(s, host="localhost").get("/").status_code == 200


def test_a_units_absolute_urls_are_its_first_name(province):
    s = province
    for host in (HOST_B2, HOST_B, HOST_B2 + ":8080"):
        for path in ["/rss.xml", "/atom.xml", "/sitemap.xml", "/"]:
            r = Client(s, host=host).get(path)
            assert r.status_code == 200
            urls = absolute_urls(r.text)
            assert urls or path == "/", (host, path)
            assert all(u.startswith("http://%s/" % HOST_B) for u in urls), (host, urls)
    # Unit 1 on any of its names links to its base_url.
    r = Client(s, host="localhost").get("/rss.xml")
    assert all(u.startswith(BASE + "/") for u in absolute_urls(r.text))


def test_origin_must_be_the_units_own(province):
    """A form posted to unit 2 with unit 1's origin (or an attacker's) is refused."""
    s = province
    for origin, expected in ((BASE, 403), ("http://%s" % ATTACKER, 403),
                             ("http://%s" % HOST_B, 401), ("http://%s" % HOST_B2, 401)):
        c = Client(s, host=HOST_B2)
        token = c.csrf_from("/quan-tri/dang-nhap")
        r = c.post("/quan-tri/dang-nhap", {"username": "khong-co", "password": "sai",
                                           "csrf": token}, headers={"Origin": origin})
        assert r.status_code == expected, (origin, r.status_code)
    # Unit 1's configured origin is good on its loopback name too (an ssh tunnel).
    c = Client(s)
    token = c.csrf_from("/quan-tri/dang-nhap")
    r = c.post("/quan-tri/dang-nhap", {"username": "khong-co", "password": "sai",
                                       "csrf": token}, headers={"Origin": BASE})
    assert r.status_code == 401

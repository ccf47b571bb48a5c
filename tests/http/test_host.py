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


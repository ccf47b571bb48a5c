"""Bad requests get a clear Vietnamese page and the right 4xx, never file content."""
import pytest

from util import check_html, is_vietnamese, raw_get, raw_post_oversize, text

MIB = 1024 * 1024


def error_page(resp, status):
    assert resp.status_code == status, (resp.url, resp.status_code)
    doc = check_html(resp)
    t = text(doc)
    assert is_vietnamese(t), "error page not in Vietnamese: %r" % t[:200]
    assert doc.xpath('//a[@href="/"]'), "no link home on the error page"
    return t


def test_unknown_page_is_a_friendly_404(anon):
    t = error_page(anon.get("/khong-co-trang-nay"), 404)
    assert "không" in t.lower()


def test_404_in_english_when_asked(demo):
    c = demo.client()
    c.get("/ngon-ngu/en?next=/")
    r = c.get("/khong-co-trang-nay")
    assert r.status_code == 404
    check_html(r, lang="en")


@pytest.mark.parametrize("path", ["/bai-viet/987654321-khong-co", "/bai-viet/987654321",
                                  "/bai-viet/987654321/ban-in", "/bai-viet/0",
                                  "/bai-viet/99999999999999999999999999-x"])
def test_unknown_article_is_404(anon, path):
    error_page(anon.get(path), 404)


@pytest.mark.parametrize("path", ["/bai-viet/abc", "/bai-viet/-1", "/bai-viet/1abc"])
def test_malformed_article_id(anon, path):
    assert anon.get(path).status_code in (400, 404)


@pytest.mark.parametrize("q", ["%C3%28", "%FF", "%C0%AF", "%ED%A0%80", "abc%E1%BA"])
def test_invalid_utf8_in_query_is_400(demo, q):
    status, body = raw_get(demo.port, "/tim-kiem?q=" + q)
    assert status == 400, (q, status)
    body.decode("utf-8")  # the answer itself is valid UTF-8


def test_invalid_utf8_in_path_is_400_or_404(demo):
    status, body = raw_get(demo.port, "/chuyen-muc/%FF%FE")
    assert status in (400, 404)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/quan-tri/dang-nhap", "/quan-tri/bai-viet"])
def test_oversize_post_is_413(demo, path, chunked):
    assert raw_post_oversize(demo.port, path, MIB + 64 * 1024, chunked=chunked) == 413
    assert demo.client().get("/robots.txt").status_code == 200  # still serving


TRAVERSALS = [
    "/static/../../etc/passwd",
    "/static/../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/..%5c..%5c..%5c..%5cetc%5cpasswd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/....//....//....//etc/passwd",
    "/static/.%2e/.%2e/.%2e/.%2e/etc/passwd",
    "/static//etc/passwd",
    "/static/%00/../../etc/passwd",
    "/../../../../etc/passwd",
    "/static/../meson.build",
    "/static/../migrations/0001_base.sql",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_never_serves_files(demo, path):
    status, body = raw_get(demo.port, path)
    assert status in (400, 404), (path, status)
    assert b"root:" not in body and b"project('phuong'" not in body
    assert b"CREATE TABLE" not in body


def test_unknown_method(demo):
    c = demo.client()
    r = c.s.request("BREW", c.url("/"), timeout=30)
    assert r.status_code in (400, 405, 501), r.status_code


def test_long_url(demo):
    status, body = raw_get(demo.port, "/tim-kiem?q=" + "a" * 100000)
    assert status in (400, 414, 431, 200), status
    assert demo.client().get("/robots.txt").status_code == 200

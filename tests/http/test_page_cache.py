"""Rendered public pages kept in memory (src/app/page_cache.h): a visitor's second
request is served from the cache, a staff write makes the next request render again, and
staff, query strings, other units and other Hosts never get a page kept for someone else."""
from conftest import Client
from util import create_article, text


def test_home_is_kept_and_a_write_renders_it_again(module_server):
    s = module_server
    first = s.client().get("/")
    assert first.status_code == 200 and first.headers.get("X-Cache") == "MISS"
    again = s.client().get("/")
    assert again.headers.get("X-Cache") == "HIT"
    assert again.content == first.content
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert "Content-Security-Policy" in again.headers
    # JSON and English are pages of their own.
    assert s.client().get("/", headers={"Accept": "application/json"}).headers.get(
        "X-Cache") == "MISS"

    editor = s.client(login="editor")
    title = "Tin mới làm trang chủ hiện lại"
    create_article(editor, title, "Nội dung tin mới.")
    r = s.client().get("/")
    assert r.headers.get("X-Cache") == "MISS" and title in text(r.content)
    assert s.client().get("/").headers.get("X-Cache") == "HIT"


def test_staff_and_queries_are_never_served_a_kept_page(module_server):
    s = module_server
    s.client().get("/chuyen-muc/tin-tuc-su-kien")
    editor = s.client(login="editor")
    r = editor.get("/")
    assert "X-Cache" not in r.headers
    assert "Đăng xuất" in text(r.content)  # the staff bar, which a visitor never sees
    assert "Đăng xuất" not in text(s.client().get("/").content)
    r = s.client().get("/luu-tru/2015-07", params={"trang": "1"})
    assert "X-Cache" not in r.headers


def test_a_page_made_for_another_host_is_kept_for_that_host_only(module_server):
    """No base_url (as here): feeds link to the Host asked, so a page made for one Host is
    never served to another (tests/http/test_host.py has the whole story)."""
    s = module_server
    assert s.client().get("/rss.xml").status_code == 200
    r = Client(s, host="khong-co-don-vi.test").get("/rss.xml")
    assert r.headers.get("X-Cache") == "MISS"
    assert "http://khong-co-don-vi.test/" in r.text and s.base not in r.text
    r = Client(s, host="khong-co-don-vi.test").get("/rss.xml")
    assert r.headers.get("X-Cache") == "HIT" and "http://khong-co-don-vi.test/" in r.text
    r = s.client().get("/rss.xml")
    assert r.headers.get("X-Cache") == "HIT" and "khong-co-don-vi.test" not in r.text

"""Category pages: newest first, 10 a page, "Trang sau" / "Trang trước"."""
from util import (CATEGORY_HREF, article_links, check_page, links, main_area, path_of, squash,
                  text)

PER_PAGE = 10


def categories(client):
    r, doc = client.page("/")
    out = {}
    for href, t in links(doc):
        m = CATEGORY_HREF.match(href)
        if m:
            out.setdefault(m.group(1), t)
    assert out, "no category links on the home page"
    return out


def paged_category(client):
    """(slug, first page doc) of a category with more than one page."""
    for slug in categories(client):
        r, doc = client.page("/chuyen-muc/%s" % slug)
        if [1 for _, t in links(doc) if t == "Trang sau"]:
            return slug, doc
    raise AssertionError("no category has a 'Trang sau' link (demo: one has > 10 articles)")


def test_category_page(anon):
    for slug, name in categories(anon).items():
        r, doc = anon.page("/chuyen-muc/%s" % slug)
        check_page(r)
        assert squash(name) in text(doc)
        assert article_links(main_area(doc)), "category %s has no articles" % slug


def test_pagination_walks_every_article_once(anon):
    slug, doc = paged_category(anon)
    assert not [1 for _, t in links(doc) if t == "Trang trước"], "page 1 has 'Trang trước'"
    seen, page = [], 1
    while True:
        ids = [a for a, _, _ in article_links(main_area(doc))]
        assert 1 <= len(ids) <= PER_PAGE, (page, ids)
        assert not set(ids) & set(seen), "article repeated on page %d" % page
        seen += ids
        nxt = [h for h, t in links(doc) if t == "Trang sau"]
        if not nxt:
            break
        assert len(ids) == PER_PAGE, "page %d not full but has a next page" % page
        page += 1
        assert "trang=%d" % page in nxt[0], nxt[0]
        r, doc = anon.page(nxt[0])
        check_page(r)
        prev = [path_of(h) for h, t in links(doc) if t == "Trang trước"]
        assert prev, "page %d has no 'Trang trước'" % page
    assert page >= 2 and len(seen) > PER_PAGE


def test_page_number_is_strict(anon):
    slug, _ = paged_category(anon)
    for bad in ("abc", "-1", "0", "1x", "99999999999999999999999"):
        r = anon.get("/chuyen-muc/%s" % slug, params={"trang": bad})
        assert r.status_code in (400, 404), (bad, r.status_code)


def test_unknown_category_is_404(anon):
    r = anon.get("/chuyen-muc/khong-co-chuyen-muc-nay")
    assert r.status_code == 404

"""The home page: latest articles and a block per category."""
from util import (CATEGORY_HREF, SAMPLE_CATEGORY, article_links, check_page, links, squash)


def test_home_is_a_vietnamese_page(anon):
    r, doc = anon.page("/")
    check_page(r)
    assert "Trang chủ" in [squash(t) for _, t in links(doc)]


def test_home_lists_latest_articles(anon):
    r, doc = anon.page("/")
    arts = article_links(doc)
    assert len(arts) >= 5, arts
    for aid, href, title in arts:
        assert title, "article link without text: %s" % href


def test_home_has_a_block_per_category(anon):
    r, doc = anon.page("/")
    cats = {slug for href, _ in links(doc) for slug in [CATEGORY_HREF.match(href)] if slug}
    assert len(cats) >= 2, "links to categories: %s" % cats
    names = [squash(t) for href, t in links(doc) if CATEGORY_HREF.match(href)]
    assert SAMPLE_CATEGORY in names, names


def test_every_article_link_on_home_works(anon):
    r, doc = anon.page("/")
    for aid, href, title in article_links(doc)[:15]:
        a = anon.get(href)
        assert a.status_code == 200, (href, a.status_code)


def test_skip_link_to_main_content(anon):
    r, doc = anon.page("/")
    assert doc.xpath('//a[@href="#noi-dung"]'), "no skip link"
    assert doc.xpath('//*[@id="noi-dung"]'), "no #noi-dung"


def test_head_answers_like_get(anon):
    g = anon.get("/")
    h = anon.s.head(anon.url("/"), timeout=30, allow_redirects=False)
    assert h.status_code == 200
    assert h.headers.get("Content-Type") == g.headers.get("Content-Type")
    assert h.content == b""

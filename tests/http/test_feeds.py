"""Feeds and crawler files: RSS 2.0, Atom, per-category feeds, sitemap.xml, robots.txt."""
import re

import feedparser
import lxml.etree

from util import (ARTICLE_HREF, CATEGORY_HREF, SAMPLE_CATEGORY, SAMPLE_TITLE, find_article,
                  links, path_of)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def fetch_feed(client, path, version):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    assert "xml" in r.headers.get("Content-Type", ""), r.headers.get("Content-Type")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, "%s: %s" % (path, feed.get("bozo_exception"))
    assert feed.version == version, (path, feed.version)
    assert feed.entries, "%s has no entries" % path
    for e in feed.entries:
        assert e.get("title"), e
        assert ARTICLE_HREF.match(path_of(e.link)), e.link
        assert re.match(r"https?://", e.link), "feed links must be absolute: %s" % e.link
    return feed


def sample_category_slug(client):
    aid, path = find_article(client, SAMPLE_TITLE)
    r, doc = client.page(path)
    for href, t in links(doc):
        m = CATEGORY_HREF.match(href)
        if m and t == SAMPLE_CATEGORY:
            return m.group(1)
    raise AssertionError("no category link on the sample article")


def test_rss(anon):
    feed = fetch_feed(anon, "/rss.xml", "rss20")
    assert feed.feed.get("title")
    for e in feed.entries:
        assert e.get("published_parsed"), "RSS item without pubDate"


def test_atom(anon):
    feed = fetch_feed(anon, "/atom.xml", "atom10")
    assert feed.feed.get("title") and feed.feed.get("updated")
    ids = [e.get("id") for e in feed.entries]
    assert all(ids) and len(set(ids)) == len(ids)
    for e in feed.entries:
        assert e.get("updated_parsed")


def test_rss_and_atom_list_the_same_articles(anon):
    rss = fetch_feed(anon, "/rss.xml", "rss20")
    atom = fetch_feed(anon, "/atom.xml", "atom10")
    assert [path_of(e.link) for e in rss.entries] == [path_of(e.link) for e in atom.entries]


def test_category_feeds(anon):
    slug = sample_category_slug(anon)
    rss = fetch_feed(anon, "/chuyen-muc/%s/rss.xml" % slug, "rss20")
    atom = fetch_feed(anon, "/chuyen-muc/%s/atom.xml" % slug, "atom10")
    titles = [e.title for e in rss.entries]
    assert [e.title for e in atom.entries] == titles
    assert SAMPLE_CATEGORY in rss.feed.get("title", "") + atom.feed.get("title", "")
    for e in rss.entries[:5]:
        r, doc = anon.page(path_of(e.link))
        assert SAMPLE_CATEGORY in [t for _, t in links(doc)], e.link


def test_unknown_category_feed_is_404(anon):
    assert anon.get("/chuyen-muc/khong-co-chuyen-muc-nay/rss.xml").status_code == 404


def test_feed_text_keeps_diacritics(anon):
    slug = sample_category_slug(anon)
    r = anon.get("/chuyen-muc/%s/atom.xml" % slug)
    assert r.content.decode("utf-8")  # UTF-8
    feed = feedparser.parse(r.content)
    assert any(re.search("[ắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựđ]", e.title, re.I) for e in feed.entries)


def test_sitemap(anon):
    r = anon.get("/sitemap.xml")
    assert r.status_code == 200
    assert "xml" in r.headers.get("Content-Type", "")
    root = lxml.etree.fromstring(r.content)
    assert root.tag == "{%s}urlset" % SITEMAP_NS, root.tag
    locs = [e.text for e in root.iter("{%s}loc" % SITEMAP_NS)]
    assert locs and all(re.match(r"https?://", loc) for loc in locs), locs[:3]
    aid, path = find_article(anon, SAMPLE_TITLE)
    assert path in [path_of(loc) for loc in locs], "the sample article is not in the sitemap"
    assert not [loc for loc in locs if "/quan-tri" in loc]


def test_robots_txt_names_the_sitemap(anon):
    r = anon.get("/robots.txt")
    assert r.status_code == 200
    assert r.headers.get("Content-Type", "").startswith("text/plain")
    lines = r.text.splitlines()
    sitemap = [ln.split(":", 1)[1].strip() for ln in lines if ln.lower().startswith("sitemap:")]
    assert sitemap and sitemap[0].endswith("/sitemap.xml"), lines
    assert re.match(r"https?://", sitemap[0])


def test_feeds_are_linked_from_pages(anon):
    r, doc = anon.page("/")
    alts = doc.xpath('//link[@rel="alternate"]/@type')
    assert "application/rss+xml" in alts and "application/atom+xml" in alts, alts

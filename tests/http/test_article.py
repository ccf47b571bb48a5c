"""The article page, as the sample in shared/seed shows it, and its print version."""
import re

from util import (ARTICLE_HREF, SAMPLE_AUTHOR, SAMPLE_CAPTION, SAMPLE_CATEGORY,
                  SAMPLE_DATE_LINE, SAMPLE_FIRST_WORDS, SAMPLE_TITLE, check_page, find_article,
                  links, main_area, meta, path_of, squash, text, views)


def sample(client):
    return find_article(client, SAMPLE_TITLE)


def test_sample_article_page(anon):
    aid, path = sample(anon)
    r, doc = anon.page(path)
    check_page(r)
    h1 = doc.xpath("//h1")
    assert len(h1) == 1 and squash(h1[0].text_content()) == SAMPLE_TITLE
    t = text(main_area(doc))
    for want in (SAMPLE_CATEGORY, SAMPLE_DATE_LINE, SAMPLE_CAPTION, SAMPLE_AUTHOR,
                 SAMPLE_FIRST_WORDS, "Bản in", "Quay lại", "Xem theo ngày"):
        assert want in t, "missing on the article page: %r" % want
    assert "Số lượt người xem:" in t


def test_sample_article_has_its_photo(anon):
    aid, path = sample(anon)
    r, doc = anon.page(path)
    imgs = main_area(doc).xpath(".//img[@src]")
    assert imgs, "no photo on the sample article"
    img = anon.get(imgs[0].get("src"), allow_redirects=True)
    assert img.status_code == 200
    assert img.headers.get("Content-Type", "").startswith("image/")


def test_view_counter_starts_at_77_and_rises_by_one(fresh):
    c = fresh.client()
    aid, path = sample(c)
    first = views(c.page(path)[1])
    second = views(c.page(path)[1])
    third = views(c.page(path)[1])
    assert (first, second, third) == (77, 78, 79)


def test_id_alone_redirects_to_canonical(anon):
    aid, path = sample(anon)
    r = anon.get("/bai-viet/%d" % aid)
    assert r.status_code == 301
    assert path_of(r.headers["Location"]) == path


def test_wrong_slug_does_not_serve_a_second_copy(anon):
    aid, path = sample(anon)
    r = anon.get("/bai-viet/%d-sai-duong-dan" % aid)
    assert r.status_code in (301, 404), r.status_code
    if r.status_code == 301:
        assert path_of(r.headers["Location"]) == path


def test_slug_is_ascii_from_the_title(anon):
    aid, path = sample(anon)
    m = ARTICLE_HREF.match(path)
    assert m
    slug = path.rsplit("/", 1)[1].split("-", 1)[1]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert "phuong-9-day-manh" in slug and "dao-duc-ho-chi-minh" in slug, slug


def test_print_version(anon):
    aid, path = sample(anon)
    r, doc = anon.page(path)
    hrefs = [path_of(h) for h, t in links(doc) if t == "Bản in"]
    assert hrefs == ["/bai-viet/%d/ban-in" % aid], hrefs
    r, doc = anon.page(hrefs[0])
    check_page(r)
    t = text(doc)
    assert SAMPLE_TITLE in t and SAMPLE_FIRST_WORDS in t and SAMPLE_AUTHOR in t
    assert SAMPLE_DATE_LINE in t
    assert not doc.xpath("//nav"), "the print version has the site navigation"
    print_css = (doc.xpath('//link[@rel="stylesheet"][contains(@media, "print")]')
                 or [s for s in doc.xpath("//style") if "@media print" in (s.text or "")]
                 or doc.xpath('//link[@rel="stylesheet"][contains(@href, "print") or contains(@href, "in.css")]'))
    assert print_css, "no print stylesheet"


def test_back_link_and_date_form(anon):
    aid, path = sample(anon)
    r, doc = anon.page(path)
    assert [h for h, t in links(doc) if t == "Quay lại"], "no 'Quay lại' link"
    forms = [f for f in doc.xpath("//form") if path_of(f.get("action") or "").rstrip("/") == "/luu-tru"]
    assert forms, "no 'Xem theo ngày' form to /luu-tru"
    form = forms[0]
    assert (form.get("method") or "get").lower() == "get"
    assert form.xpath('.//input[@name="ngay"]'), "the date form has no field 'ngay'"
    r = anon.get("/luu-tru", params={"ngay": "2015-07-07"})
    assert r.status_code == 303
    assert path_of(r.headers["Location"]) == "/luu-tru/2015-07-07"


def test_skip_link(anon):
    aid, path = sample(anon)
    r, doc = anon.page(path)
    skip = doc.xpath('//a[@href="#noi-dung"]')
    assert skip, "no skip link"
    assert doc.xpath('//*[@id="noi-dung"]')
    # the skip link comes before the navigation
    body_links = doc.xpath("//body//a")
    assert body_links[0] is skip[0] or body_links.index(skip[0]) < 3


def test_open_graph(anon):
    aid, path = sample(anon)
    r, doc = anon.page(path)
    assert meta(doc, "og:title") == SAMPLE_TITLE
    assert meta(doc, "og:type") == "article"
    img = meta(doc, "og:image")
    assert img and re.match(r"https?://", img), img
    assert anon.get(path_of(img), allow_redirects=True).status_code == 200
    url = meta(doc, "og:url")
    if url:
        assert path_of(url) == path


def test_category_link_on_article(anon):
    aid, path = sample(anon)
    r, doc = anon.page(path)
    cat = [h for h, t in links(doc) if t == SAMPLE_CATEGORY]
    assert cat and "/chuyen-muc/" in cat[0]
    assert anon.get(cat[0]).status_code == 200

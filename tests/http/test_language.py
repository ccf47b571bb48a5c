"""Vietnamese first, English on request (/ngon-ngu/{lang})."""
from util import check_page, links, path_of, squash


def nav_texts(doc):
    return [squash(t) for _, t in links(doc)]


def test_switch_to_english_and_back(anon):
    r = anon.get("/ngon-ngu/en?next=/")
    assert r.status_code in (302, 303), r.status_code
    assert path_of(r.headers["Location"]) == "/"
    assert anon.s.cookies.get("lang") == "en"
    r, doc = anon.page("/")
    check_page(r, lang="en")
    assert "Home" in nav_texts(doc)
    assert "Trang chủ" not in nav_texts(doc)

    r = anon.get("/ngon-ngu/vi?next=/")
    assert r.status_code in (302, 303)
    r, doc = anon.page("/")
    check_page(r, lang="vi")
    assert "Trang chủ" in nav_texts(doc)


def test_english_article_keeps_its_vietnamese_content(anon):
    from util import SAMPLE_TITLE, find_article
    aid, path = find_article(anon, SAMPLE_TITLE)
    anon.get("/ngon-ngu/en?next=/")
    r, doc = anon.page(path)
    check_page(r, lang=None)  # English interface around a Vietnamese article
    assert SAMPLE_TITLE in squash(doc.xpath("//h1")[0].text_content())


def test_language_switch_does_not_redirect_off_site(anon):
    for target in ("https://example.com/", "//example.com/", "/\\example.com"):
        r = anon.get("/ngon-ngu/en", params={"next": target})
        loc = r.headers.get("Location", "")
        assert r.status_code in (302, 303, 400), r.status_code
        if r.status_code != 400:
            assert loc.startswith("/") and not loc.startswith("//") and "example.com" not in loc, loc


def test_unknown_language_is_refused(anon):
    r = anon.get("/ngon-ngu/xx?next=/")
    assert r.status_code in (400, 404), r.status_code

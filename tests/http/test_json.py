"""The JSON face of the pages: the same view models (.json suffix or Accept header)."""
from util import (CATEGORY_HREF, SAMPLE_CATEGORY, SAMPLE_TITLE, article_links, check_json, find_article,
                  json_keys, json_strings, links, main_area)

JSON = {"Accept": "application/json"}


def no_secrets(model):
    bad = [k for k in json_keys(model) if "password" in k.lower() or k.lower() in ("csrf", "session")]
    assert not bad, "private keys in public JSON: %s" % bad


def test_index_json(anon):
    model = check_json(anon.get("/index.json"))
    strings = set(json_strings(model))
    assert SAMPLE_CATEGORY in strings
    r, doc = anon.page("/")
    for aid, href, title in article_links(doc)[:10]:
        assert title in strings, "home shows %r, /index.json lacks it" % title
    no_secrets(model)


def test_accept_header_gives_the_same_model(anon):
    assert check_json(anon.get("/", headers=JSON)) == check_json(anon.get("/index.json"))


def test_article_json(anon):
    aid, path = find_article(anon, SAMPLE_TITLE)
    model = check_json(anon.get(path + ".json"))
    strings = list(json_strings(model))
    assert SAMPLE_TITLE in strings and SAMPLE_CATEGORY in strings and "Đỗ Uyên" in strings
    no_secrets(model)
    model2 = check_json(anon.get(path, headers=JSON))
    assert SAMPLE_TITLE in list(json_strings(model2))


def test_category_json(anon):
    r, doc = anon.page("/")
    slugs = [m.group(1) for h, _ in links(doc) for m in [CATEGORY_HREF.match(h)] if m]
    assert slugs
    slug = slugs[0]
    r, page = anon.page("/chuyen-muc/%s" % slug)
    model = check_json(anon.get("/chuyen-muc/%s.json" % slug))
    strings = set(json_strings(model))
    for aid, href, title in article_links(main_area(page)):
        assert title in strings, title


def test_json_404(anon):
    r = anon.get("/bai-viet/987654321-khong-co.json")
    assert r.status_code == 404
    r = anon.get("/bai-viet/987654321-khong-co", headers=JSON)
    assert r.status_code == 404
    assert r.headers.get("Content-Type", "").startswith("application/json")

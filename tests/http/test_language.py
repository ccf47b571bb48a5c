"""Vietnamese first, English on request (/ngon-ngu/{lang})."""
import pytest

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


# Official Vietnamese documents printed for the citizen (Mẫu 01-07 of TT 03/2025): their
# words are the law's and stay Vietnamese whatever the interface language.
PRINTED_FORMS = {"dossier_receipt", "dossier_control", "dossier_supplement", "dossier_refusal",
                 "dossier_apology", "dossier_stop", "dossier_book", "_print_head", "_form_head"}


def test_every_interface_text_has_an_english_translation():
    import glob
    import os
    import re
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    with open(os.path.join(root, "po", "en.po"), encoding="utf-8") as f:
        english = set(re.findall(r'^msgid "(.*)"$', f.read(), re.M))
    missing = []
    for path in sorted(glob.glob(os.path.join(root, "templates", "**", "*.html"), recursive=True)):
        name = os.path.splitext(os.path.basename(path))[0]
        if name in PRINTED_FORMS:
            continue
        with open(path, encoding="utf-8") as f:
            for text in re.findall(r"\{\{_ (.*?)\}\}", f.read(), re.S):
                if text.replace("\\", "\\\\").replace('"', '\\"') not in english:
                    missing.append((os.path.relpath(path, root), text))
    assert not missing, missing


def test_procedure_and_lookup_pages_in_english(anon):
    anon.get("/ngon-ngu/en?next=/")
    r, doc = anon.page("/tra-cuu-ho-so")
    check_page(r, lang="en")
    assert "Track a dossier" in squash(doc.xpath("//h1")[0].text_content())
    r, doc = anon.page("/cam-ket-phuc-vu")
    assert r.status_code == 200
    assert "Service promise" in squash(doc.xpath("//h1")[0].text_content())
    anon.get("/ngon-ngu/vi?next=/")


@pytest.fixture(scope="module")
def staffed_server(module_server):
    """The module's server with the one-stop staff of test_dossiers (added once)."""
    from test_dossiers import add_staff
    add_staff(module_server)
    return module_server


def test_statistics_chart_in_english(staffed_server):
    """The trend chart's title, legend, scales and description follow the interface
    language; its numbers and month labels stay as they are."""
    from test_dossiers import login
    clerk = login(staffed_server, "canbo")

    def chart(lang):
        r = clerk.get("/ngon-ngu/%s?next=/quan-tri/thong-ke" % lang)
        assert r.status_code in (302, 303), r.status_code
        r = clerk.get("/quan-tri/thong-ke")
        doc = check_page(r, lang=lang)
        svg = doc.xpath("//figure//*[local-name()='svg']")[0]
        texts = [squash(t.text) for t in svg.xpath(".//*[local-name()='text']") if t.text]
        return (svg.xpath("./*[local-name()='title']")[0].text,
                svg.xpath("./*[local-name()='desc']")[0].text, texts)

    title, desc, texts = chart("en")
    assert title.startswith("Dossiers received and on-time resolution rate, 12 months to Month "), title
    assert ": 0 dossiers received, on-time rate —." in desc, desc
    assert desc.startswith("Month "), desc
    assert texts.count("Dossiers received") == 2  # the left scale's title and the legend
    assert "On-time rate" in texts and "On-time resolution rate" in texts
    assert "100%" in texts and "0" in texts
    everything = " ".join([title, desc] + texts)
    for vietnamese in ("Hồ sơ", "hồ sơ", "Tỷ lệ", "tỷ lệ", "Tháng", "tháng"):
        assert vietnamese not in everything, (vietnamese, everything)

    title, desc, texts = chart("vi")
    assert title.startswith("Hồ sơ tiếp nhận và tỷ lệ giải quyết đúng hạn, 12 tháng đến Tháng "), title
    assert ": 0 hồ sơ tiếp nhận, tỷ lệ đúng hạn —." in desc, desc
    assert texts.count("Hồ sơ tiếp nhận") == 2
    assert "Tỷ lệ đúng hạn" in texts and "Tỷ lệ giải quyết đúng hạn" in texts


def test_statistics_page_words_in_english(staffed_server):
    """The statistics page's own words follow the interface language."""
    from test_dossiers import login
    leader = login(staffed_server, "lanhdao")
    leader.get("/ngon-ngu/en?next=/quan-tri/thong-ke")
    r, doc = leader.page("/quan-tri/thong-ke")
    check_page(r, lang="en")
    page = squash(doc.xpath("//main")[0].text_content())
    for english in ("By procedure", "By field", "By officer", "Dossier statistics"):
        assert english in page or english in squash(doc.xpath("//title")[0].text), english
    for vietnamese in ("Theo thủ tục", "Theo lĩnh vực", "Theo cán bộ"):
        assert vietnamese not in page, vietnamese
    leader.get("/ngon-ngu/vi?next=/quan-tri/thong-ke")
    r, doc = leader.page("/quan-tri/thong-ke")
    assert "Theo thủ tục" in squash(doc.xpath("//main")[0].text_content())

"""Search: folds case, tone marks and đ/Đ; old and new tone placement alike; <mark>s."""
import unicodedata

from util import (SAMPLE_TITLE, article_links, check_page, fold, main_area, squash, text)


def search(client, q):
    r, doc = client.page("/tim-kiem", params={"q": q})
    check_page(r)
    return doc, [(aid, squash(t)) for aid, _, t in article_links(main_area(doc))]


def test_without_tone_marks(anon):
    doc, hits = search(anon, "tam guong dao duc")
    assert hits and hits[0][1] == SAMPLE_TITLE, hits[:3]


def test_upper_case_with_marks(anon):
    doc, hits = search(anon, "TẤM GƯƠNG")
    assert hits and hits[0][1] == SAMPLE_TITLE, hits[:3]


def test_decomposed_input(anon):
    q = unicodedata.normalize("NFD", "tấm gương đạo đức")
    assert q != unicodedata.normalize("NFC", q)
    doc, hits = search(anon, q)
    assert hits and hits[0][1] == SAMPLE_TITLE, hits[:3]


def test_d_with_stroke(anon):
    doc1, hits1 = search(anon, "ĐẢNG ỦY PHƯỜNG")
    doc2, hits2 = search(anon, "dang uy phuong")
    assert SAMPLE_TITLE in [t for _, t in hits1]
    assert [a for a, _ in hits1] == [a for a, _ in hits2]


def test_old_and_new_tone_placement(anon):
    doc_old, old = search(anon, "hoà")
    doc_new, new = search(anon, "hòa")
    assert old, "'hoà' finds nothing (the demo has an article with 'hòa')"
    assert [a for a, _ in old] == [a for a, _ in new]
    snippets = text(main_area(doc_old)).lower()
    assert "hòa" in snippets or "hoà" in snippets


def test_matches_are_marked(anon):
    doc, hits = search(anon, "tam guong dao duc")
    marks = [squash(m.text_content()) for m in main_area(doc).xpath(".//mark")]
    assert marks, "no <mark> in the results"
    words = {"tam", "guong", "dao", "duc"}
    for m in marks:
        assert set(fold(m).split()) <= words, "marked %r for 'tam guong dao duc'" % m


def test_query_is_shown_escaped(anon):
    q = '<script>alert("q")</script>'
    r, doc = anon.page("/tim-kiem", params={"q": q})
    assert r.status_code == 200
    assert b'<script>alert("q")' not in r.content
    assert not [s for s in doc.xpath("//script") if "alert" in (s.text or "")]


def test_nothing_found_says_so(anon):
    doc, hits = search(anon, "zzzqqqxxx")
    assert hits == []
    assert text(main_area(doc))


def test_empty_query(anon):
    r = anon.get("/tim-kiem", params={"q": ""})
    assert r.status_code in (200, 400)
    r = anon.get("/tim-kiem")
    assert r.status_code in (200, 400)


def test_drafts_are_not_found(anon):
    # Search only ever shows published articles: every hit opens publicly.
    doc, hits = search(anon, "phường")
    assert hits
    for aid, _ in hits[:10]:
        assert anon.get("/bai-viet/%d" % aid).status_code == 301

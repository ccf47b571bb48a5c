"""Browsing by date: /luu-tru/YYYY-MM-DD and /luu-tru/YYYY-MM; the date form."""
import pytest

from util import (SAMPLE_TITLE, article_links, check_html, check_page, is_vietnamese,
                  main_area, path_of, squash, text)


def titles(doc):
    return [squash(t) for _, _, t in article_links(main_area(doc))]


def test_day_archive_lists_the_articles_of_the_day(anon):
    r, doc = anon.page("/luu-tru/2015-07-07")
    check_page(r)
    got = titles(doc)
    assert SAMPLE_TITLE in got
    assert len(got) >= 2, "the demo has another article on 2015-07-07: %s" % got


def test_month_archive(anon):
    r, doc = anon.page("/luu-tru/2015-07")
    check_page(r)
    got = titles(doc)
    assert SAMPLE_TITLE in got and len(got) >= 2


def test_day_archive_shows_only_that_day(anon):
    r, doc = anon.page("/luu-tru/2015-07-08")
    assert r.status_code in (200, 404)
    assert SAMPLE_TITLE not in titles(doc)


def test_empty_day_says_so_in_vietnamese(anon):
    r, doc = anon.page("/luu-tru/2001-01-01")
    assert r.status_code in (200, 404)
    assert not titles(doc)
    assert is_vietnamese(text(main_area(doc)))


@pytest.mark.parametrize("bad", ["2015-02-30", "2015-02-29", "2015-13", "2015-00",
                                 "2015-07-32", "2015-07-00", "2015-7-7", "15-07-07",
                                 "2015-07-07x", "abcd-ef-gh", "2015-04-31"])
def test_bad_dates_are_400(anon, bad):
    r = anon.get("/luu-tru/" + bad)
    assert r.status_code == 400, (bad, r.status_code)
    doc = check_html(r)
    assert is_vietnamese(text(doc)), "the 400 page is not in Vietnamese"
    assert doc.xpath('//a[@href="/"]'), "no link home on the error page"


def test_leap_day_is_a_date(anon):
    r = anon.get("/luu-tru/2016-02-29")
    assert r.status_code in (200, 404), r.status_code


def test_date_form_redirects(anon):
    r = anon.get("/luu-tru", params={"ngay": "2015-07-07"})
    assert r.status_code == 303
    assert path_of(r.headers["Location"]) == "/luu-tru/2015-07-07"


@pytest.mark.parametrize("bad", ["", "hôm qua", "2015-02-30", "07/07/2015"])
def test_date_form_with_a_bad_date_is_400(anon, bad):
    r = anon.get("/luu-tru", params={"ngay": bad})
    assert r.status_code == 400, (bad, r.status_code)

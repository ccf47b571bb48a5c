"""Dates typed into forms are bounded (issue 9, item 12): every date field is parsed by one
strict helper with the field's range, and a date out of it (9999-12-31, year 0001) gets a
Vietnamese 422 naming the range, with nothing written."""
import datetime

from test_dossiers import VN, extend, intake, local_input, office  # noqa: F401 (fixture)
from test_procedures import edit_fields
from util import create_article, parse, text

FAR = ("9999-12-31T23:59", "0001-01-01T00:00", "1899-12-31T08:00")


def test_the_apology_new_due_is_at_most_a_year_ahead(office):
    s, leader = office["server"], office["leader"]
    _, code = intake(office["clerk"])
    q = "SELECT extended_due_at FROM dossier WHERE code = '%s'" % code
    n = s.db.value("SELECT count(*) FROM dossier_event")
    too_late = datetime.datetime.now(VN) + datetime.timedelta(days=400)
    for new_due in FAR + (local_input(too_late),):
        r = extend(leader, code, new_due, "Cần xác minh thêm")
        assert r.status_code == 422, (new_due, r.status_code)
        message = text(parse(r.content))
        assert ("trong khoảng từ" in message or "hợp lệ" in message), message
    r = extend(leader, code, "9999-12-31T23:59", "Cần xác minh thêm")
    assert "Ngày hẹn trả mới phải trong khoảng từ" in text(parse(r.content))
    assert s.db.value(q) in (None, "", "0", 0)
    assert s.db.value("SELECT count(*) FROM dossier_event") == n


def test_a_backdated_intake_and_the_book_refuse_far_dates(office):
    s, clerk = office["server"], office["clerk"]
    n = s.db.value("SELECT count(*) FROM dossier")
    for received in FAR:
        r, code = intake(clerk, received_at=received)
        assert r.status_code == 422 and code is None, (received, r.status_code)
    assert s.db.value("SELECT count(*) FROM dossier") == n
    for tu, den in (("9999-01-01", "9999-12-31"), ("0001-01-01", "0001-12-31"),
                    ("1999-01-01", "1999-12-31")):
        r = clerk.get("/quan-tri/ho-so/so-theo-doi?tu=%s&den=%s" % (tu, den))
        assert r.status_code == 422 and "năm 2000" in text(parse(r.content)), (tu, r.status_code)


def test_news_and_procedure_dates_are_bounded(office):
    s = office["server"]
    editor = s.client(login="editor")
    articles = s.db.value("SELECT count(*) FROM article")
    for when in FAR:
        r = create_article(editor, "Bài hẹn giờ xa", "Nội dung.", published_at=when, expect=None)
        assert r.status_code == 422 and "Ngày đăng" in text(parse(r.content)), when
        r = create_article(editor, "Bài gỡ xa", "Nội dung.", unpublish_at=when, expect=None)
        assert r.status_code == 422 and "Ngày gỡ bài" in text(parse(r.content)), when
    assert s.db.value("SELECT count(*) FROM article") == articles
    admin = s.client(login="admin")
    versions = s.db.value("SELECT count(*) FROM procedure_version")
    for effective in ("9999-12-31", "0001-01-01", "1900-01-01"):
        fields = edit_fields(admin, "dang-ky-khai-sinh")
        r = admin.post("/quan-tri/thu-tuc/dang-ky-khai-sinh",
                       dict(fields, basis_effective=effective))
        assert r.status_code == 422 and "1945" in text(parse(r.content)), effective
    assert s.db.value("SELECT count(*) FROM procedure_version") == versions

"""Citizen satisfaction ratings (issue 4): after the result is returned the citizen rates the
service once per dossier, proved by its code and the last four digits of the phone number as
for the lookup; staff read ratings (on the dossier and per month) and can never enter or
change them."""
import datetime

import pytest

from conftest import phuong
from test_dossiers import PHONE, STEPS, VN, intake, office, post_step  # noqa: F401 (fixture)
from util import check_page, parse, squash, text

LAST4 = PHONE.replace(" ", "")[-4:]
RATE = "/danh-gia-ho-so"


@pytest.fixture(autouse=True)
def lookup_limit_cleared(request):
    """Every request of these tests comes from 127.0.0.1: each test starts with the whole
    lookup allowance (the throttle has its own test below)."""
    if "office" in request.fixturenames:
        request.getfixturevalue("office")["server"].db.run("DELETE FROM dossier_lookup")


def returned_dossier(office):
    """A dossier taken through the whole flow to `returned`; its code."""
    _, code = intake(office["clerk"])
    assert code
    for slug, role, status in STEPS:
        assert post_step(office[role], code, slug).status_code == 303, (slug, role)
    assert office["server"].db.value(
        "SELECT status FROM dossier WHERE code = '%s'" % code) == "returned"
    return code


def rating_form(citizen, code, last4=LAST4):
    """GETs the rating form of a dossier; returns (response, fields of the form)."""
    r, doc = citizen.page("%s?ma=%s&sdt=%s" % (RATE, code, last4))
    forms = doc.xpath("//form[@action='%s' and @method='post']" % RATE)
    fields = {}
    if forms:
        fields = {i.get("name"): i.get("value") or "" for i in forms[0].xpath(
            ".//input[@type='hidden']")}
    return r, fields


def rate(citizen, code, last4=LAST4, **answers):
    """POSTs a rating with the visitor's own CSRF token; returns the response."""
    token = citizen.csrf_from(RATE)
    data = {"csrf": token, "ma": code, "sdt": last4}
    data.update(answers)
    return citizen.post(RATE, data)


def ratings_of(server, code):
    return int(server.db.value("SELECT count(*) FROM dossier_rating r JOIN dossier d"
                               " ON d.id = r.dossier_id WHERE d.code = '%s'" % code))


def answers_total(server):
    return int(server.db.value("SELECT count(*) FROM dossier_rating_answer"))


def message(resp, element_id):
    found = parse(resp.content).xpath("//*[@id='%s']" % element_id)
    return squash(text(found[0])) if found else None


def test_the_citizen_rates_a_returned_dossier_once(office):
    s = office["server"]
    code = returned_dossier(office)
    citizen = s.client()
    # The lookup offers the rating, and the form names the dossier.
    r, doc = citizen.page("/tra-cuu-ho-so?ma=%s&sdt=%s" % (code, LAST4))
    check_page(r)
    offer = doc.xpath("//a[@id='rating-offer']/@href")
    assert offer == ["%s?ma=%s&sdt=%s" % (RATE, code, LAST4)], offer
    r, fields = rating_form(citizen, code)
    doc = check_page(r)
    assert fields["ma"] == code and fields["sdt"] == LAST4
    assert squash(text(doc.xpath("//*[@id='rating-code']")[0])) == code
    labels = [squash(text(x)) for x in doc.xpath("//fieldset[@class='rating-overall']//label")]
    assert labels == ["Rất hài lòng", "Hài lòng", "Không hài lòng"], labels
    assert len(doc.xpath("//fieldset[@class='rating-criterion']")) == 12
    assert "Thái độ của cán bộ" in text(doc)
    for secret in ("Nguyễn Thị Hoa", "079123456789", "hoa@example.vn", "0912"):
        assert secret not in r.text, secret
    audits = int(s.db.value("SELECT count(*) FROM audit_log WHERE action = 'dossier.rate'"))

    answers_before = answers_total(s)
    r = rate(citizen, code, overall="3", c3="2", c4="1", comment="  Cán bộ hướng dẫn\nnhiệt tình.  ")
    assert r.status_code == 201, squash(r.text)[:400]
    assert "Rất hài lòng" in message(r, "rating-done")
    row = s.db.rows("SELECT r.overall, r.comment, r.unit_id, r.procedure_id = d.procedure_id AS same"
                    " FROM dossier_rating r JOIN dossier d ON d.id = r.dossier_id"
                    " WHERE d.code = '%s'" % code)[0]
    assert int(row["overall"]) == 3 and row["comment"] == "Cán bộ hướng dẫn\nnhiệt tình."
    assert int(row["unit_id"]) == 1 and row["same"] in ("1", "t", "true")
    got = s.db.rows("SELECT a.criterion, a.level FROM dossier_rating_answer a"
                    " JOIN dossier_rating r ON r.id = a.rating_id JOIN dossier d"
                    " ON d.id = r.dossier_id WHERE d.code = '%s' ORDER BY a.criterion" % code)
    assert [(int(a["criterion"]), int(a["level"])) for a in got] == [(3, 2), (4, 1)]
    assert answers_total(s) == answers_before + 2
    # The citizen's write is audited as an online submission is, under no staff name.
    audit = s.db.rows("SELECT actor, user_id FROM audit_log WHERE action = 'dossier.rate'"
                      " ORDER BY id DESC LIMIT 1")
    assert int(s.db.value("SELECT count(*) FROM audit_log WHERE action = 'dossier.rate'")) == audits + 1
    assert audit[0]["actor"] == "online" and audit[0]["user_id"] in (None, "0"), audit

    # A second rating is refused and writes nothing; the lookup no longer offers one.
    r = rate(s.client(), code, overall="1", c1="1", comment="Lần hai")
    assert r.status_code == 409
    assert "Hồ sơ này đã được đánh giá" in message(r, "rating-error")
    r, _ = rating_form(citizen, code)
    assert r.status_code == 409 and "Hồ sơ này đã được đánh giá" in message(r, "rating-error")
    assert ratings_of(s, code) == 1 and answers_total(s) == answers_before + 2
    assert int(s.db.value("SELECT overall FROM dossier_rating r JOIN dossier d ON d.id ="
                          " r.dossier_id WHERE d.code = '%s'" % code)) == 3
    r, doc = citizen.page("/tra-cuu-ho-so?ma=%s&sdt=%s" % (code, LAST4))
    assert not doc.xpath("//*[@id='rating-offer']") and doc.xpath("//*[@id='rating-given']")


def test_a_dossier_not_yet_returned_cannot_be_rated(office):
    s = office["server"]
    _, code = intake(office["clerk"])
    citizen = s.client()
    r, doc = citizen.page("/tra-cuu-ho-so?ma=%s&sdt=%s" % (code, LAST4))
    assert r.status_code == 200 and not doc.xpath("//*[@id='rating-offer']")
    r = rate(citizen, code, overall="3")
    assert r.status_code == 409
    assert "chưa trả kết quả" in message(r, "rating-error")
    r, fields = rating_form(citizen, code)
    assert r.status_code == 409 and not fields
    # Nor once the result is ready but not yet handed back.
    for slug, role, status in STEPS[:3]:
        assert post_step(office[role], code, slug).status_code == 303
    assert rate(citizen, code, overall="3").status_code == 409
    assert ratings_of(s, code) == 0


def test_a_wrong_code_or_phone_answers_as_the_lookup_does(office):
    s = office["server"]
    code = returned_dossier(office)
    citizen = s.client()
    lookup = citizen.get("/tra-cuu-ho-so?ma=%s&sdt=0000" % code)
    assert lookup.status_code == 404
    expected = message(lookup, "lookup-not-found")
    wrong_phone = rate(citizen, code, last4="0000", overall="3")
    wrong_code = rate(citizen, code[:-4] + "9999", overall="3")
    bad_code = rate(citizen, "không-phải-mã", overall="3")
    no_phone = rate(citizen, code, last4="", overall="3")
    for r in (wrong_phone, wrong_code, bad_code, no_phone):
        assert r.status_code == 404
        assert message(r, "lookup-not-found") == expected
        assert message(r, "rating-error") is None
    assert squash(text(parse(wrong_phone.content).xpath("//main")[0])).replace(
        code, code[:-4] + "9999") == squash(text(parse(wrong_code.content).xpath("//main")[0]))
    get_wrong = citizen.get("%s?ma=%s&sdt=0000" % (RATE, code))
    assert get_wrong.status_code == 404 and message(get_wrong, "lookup-not-found") == expected
    assert ratings_of(s, code) == 0


def test_bad_ratings_are_refused_with_a_message_and_write_nothing(office):
    s = office["server"]
    code = returned_dossier(office)
    citizen = s.client()
    for fields, words in (({}, "mức độ hài lòng chung"),
                          ({"overall": "4"}, "không hợp lệ"),
                          ({"overall": "0"}, "không hợp lệ"),
                          ({"overall": "3 "}, "không hợp lệ"),
                          ({"overall": "2", "c5": "9"}, "tiêu chí"),
                          ({"overall": "2", "c12": "x"}, "tiêu chí"),
                          ({"overall": "2", "comment": "ý" * 1001}, "1000 ký tự"),
                          ({"overall": "2", "comment": "a\x00b"}, "")):
        r = rate(citizen, code, **fields)
        assert r.status_code in (400, 422), (fields, r.status_code)
        if r.status_code == 422:
            assert words in message(r, "rating-error"), (fields, message(r, "rating-error"))
    # The form comes back with what was chosen.
    r = rate(citizen, code, overall="2", c5="9", c2="3")
    doc = parse(r.content)
    assert doc.xpath("//input[@name='overall' and @value='2']/@checked")
    assert doc.xpath("//input[@name='c2' and @value='3']/@checked")
    assert ratings_of(s, code) == 0
    # A comment of exactly 1000 characters is fine.
    assert rate(citizen, code, overall="2", comment="ý" * 1000).status_code == 201


def test_staff_never_rate_on_the_citizens_behalf(office):
    s = office["server"]
    code = returned_dossier(office)
    for role in ("clerk", "specialist", "leader"):
        staff = office[role]
        r = staff.get("%s?ma=%s&sdt=%s" % (RATE, code, LAST4))
        assert r.status_code == 403, (role, r.status_code)
        token = staff.csrf_from("/quan-tri/ho-so/%s" % code, None)
        r = staff.post(RATE, {"csrf": token, "ma": code, "sdt": LAST4, "overall": "3"})
        assert r.status_code == 403, (role, r.status_code)
        assert "không được đánh giá thay công dân" in message(r, "rating-error")
    assert ratings_of(s, code) == 0


def test_no_staff_route_writes_a_rating(office):
    """Every state-changing staff route, posted by each one-stop role with a rating's
    fields and the returned dossier's code, leaves the ratings untouched."""
    s = office["server"]
    code = returned_dossier(office)
    out = phuong("routes")
    assert out.returncode == 0, out.stderr
    posts = [line.split("\t")[1] for line in out.stdout.splitlines()
             if line.startswith("POST\t") and line.split("\t")[2] != "public"]
    assert posts
    before = int(s.db.value("SELECT count(*) FROM dossier_rating"))
    for role in ("clerk", "specialist", "leader"):
        staff = office[role]
        token = staff.csrf_from("/quan-tri/ho-so/%s" % code, None)
        for pattern in posts:
            if pattern == "/quan-tri/dang-xuat":
                continue
            staff.post(pattern.replace("{}", code), {
                "csrf": token, "ma": code, "sdt": LAST4, "overall": "3", "c1": "3",
                "comment": "Cán bộ tự đánh giá", "note": "x", "reason": "x"})
    assert int(s.db.value("SELECT count(*) FROM dossier_rating")) == before
    assert ratings_of(s, code) == 0


def test_a_rating_can_never_be_changed_or_deleted(office):
    s = office["server"]
    code = returned_dossier(office)
    assert rate(s.client(), code, overall="3", c2="3").status_code == 201
    rid = s.db.value("SELECT r.id FROM dossier_rating r JOIN dossier d ON d.id = r.dossier_id"
                     " WHERE d.code = '%s'" % code)
    for statement in ("UPDATE dossier_rating SET overall = 1 WHERE id = %s" % rid,
                      "DELETE FROM dossier_rating WHERE id = %s" % rid,
                      "UPDATE dossier_rating_answer SET level = 1 WHERE rating_id = %s" % rid,
                      "DELETE FROM dossier_rating_answer WHERE rating_id = %s" % rid):
        r = s.db.run(statement, check=False)
        assert r.returncode != 0, statement
        assert "never changed" in r.stderr, (statement, r.stderr)
    assert int(s.db.value("SELECT overall FROM dossier_rating WHERE id = %s" % rid)) == 3
    assert int(s.db.value("SELECT level FROM dossier_rating_answer WHERE rating_id = %s"
                          " AND criterion = 2" % rid)) == 3


def test_staff_read_ratings_on_the_dossier_and_per_month(office):
    s = office["server"]
    codes = [returned_dossier(office) for _ in range(3)]
    for code, overall, extra in zip(codes, ("3", "2", "1"), ({"c4": "3"}, {"c4": "1"}, {})):
        assert rate(s.client(), code, overall=overall,
                    comment="Góp ý số %s" % overall, **extra).status_code == 201
    leader = office["leader"]
    doc = check_page(leader.get("/quan-tri/ho-so/%s" % codes[0]))
    section = doc.xpath("//*[@id='dossier-rating']")[0]
    assert squash(text(section.xpath(".//*[@id='dossier-rating-overall']")[0])) == "Rất hài lòng"
    assert "Góp ý số 3" in text(section)
    # Read only: nothing on the dossier page posts a rating.
    assert not [f for f in doc.xpath("//form/@action") if "danh-gia" in f]
    r, doc = office["clerk"].page("/quan-tri/danh-gia")
    check_page(r)
    # Every rating of the module so far was given this month (other tests rate too).
    total = int(s.db.value("SELECT count(*) FROM dossier_rating WHERE unit_id = 1"))
    by_level = {int(r["overall"]): int(r["n"]) for r in s.db.rows(
        "SELECT overall, count(*) AS n FROM dossier_rating WHERE unit_id = 1 GROUP BY overall")}
    assert "Số lượt đánh giá: %d" % total in squash(text(doc.xpath("//*[@id='rating-total']")[0]))
    cells = [squash(text(td)) for td in doc.xpath("//table[@id='rating-overall']//tbody//td")]
    satisfied = (by_level.get(3, 0) + by_level.get(2, 0)) * 100 // total
    assert cells == [str(by_level.get(3, 0)), str(by_level.get(2, 0)), str(by_level.get(1, 0)),
                     "%d%%" % satisfied], cells
    assert squash(text(doc.xpath("//*[@id='rating-satisfied']")[0])) == "%d%%" % satisfied
    c4 = {int(r["level"]): int(r["n"]) for r in s.db.rows(
        "SELECT level, count(*) AS n FROM dossier_rating_answer WHERE criterion = 4"
        " GROUP BY level")}
    row = [squash(text(td)) for td in doc.xpath("//tr[@data-criterion='4']/td")]
    assert row[1:4] == [str(c4.get(3, 0)), str(c4.get(2, 0)), str(c4.get(1, 0))], row
    listed = [squash(text(a)) for a in doc.xpath("//table[contains(@class,'rating-list')]//a")]
    assert set(codes) <= set(listed)
    assert "Góp ý số 1" in text(doc) and doc.xpath("//tr[@class='rating-low']")
    for secret in ("Nguyễn Thị Hoa", "079123456789", "hoa@example.vn", PHONE):
        assert secret not in r.text, secret
    # Another month has none of them; a bad month is said so.
    last_month = (datetime.datetime.now(VN).replace(day=1) - datetime.timedelta(days=1))
    r, doc = office["clerk"].page("/quan-tri/danh-gia?thang=%s" % last_month.strftime("%Y-%m"))
    assert r.status_code == 200 and doc.xpath("//*[@id='rating-none']")
    assert "Số lượt đánh giá: 0" in squash(text(doc.xpath("//*[@id='rating-total']")[0]))
    r = office["clerk"].get("/quan-tri/danh-gia?thang=2026-13")
    assert r.status_code == 422 and "Tháng không hợp lệ" in text(parse(r.content))
    # Staff outside the one-stop shop do not read them; visitors are sent to sign in.
    assert s.client(login="editor").get("/quan-tri/danh-gia").status_code == 403
    assert s.client().get("/quan-tri/danh-gia").status_code == 303


def test_the_rating_form_shares_the_lookup_throttle(fresh):
    c = fresh.client()
    statuses = [c.get("%s?ma=X-260101-0001&sdt=0000" % RATE).status_code for _ in range(30)]
    assert statuses == [404] * 30
    r = c.get("%s?ma=X-260101-0001&sdt=0000" % RATE)
    assert r.status_code == 429 and r.headers.get("Retry-After")
    assert c.get("/tra-cuu-ho-so?ma=X-260101-0001&sdt=0000").status_code == 429
    token = c.csrf_from(RATE)
    r = c.post(RATE, {"csrf": token, "ma": "X-260101-0001", "sdt": "0000", "overall": "3"})
    assert r.status_code == 429


def test_the_form_without_a_code_asks_for_one(office):
    s = office["server"]
    r, doc = s.client().page(RATE)
    check_page(r)
    assert doc.xpath("//input[@name='ma' and not(@type='hidden')]")
    assert doc.xpath("//input[@name='sdt' and @pattern='[0-9]{4}']")
    # Typed there, a good code and phone rate the dossier like the link does.
    code = returned_dossier(office)
    assert rate(s.client(), code, overall="2").status_code == 201
    assert ratings_of(s, code) == 1

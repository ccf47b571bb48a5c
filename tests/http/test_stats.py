"""Statistics of the one-stop shop (issue 4): the monthly page by procedure, field and
officer with its CSV and XLSX, the 12-month trend, the public promise board and the
province's on-time rates per unit. Dossiers are received at the counter, taken by a
specialist over HTTP, then moved to exact times in the database, so every number on the
pages can be checked against hand-computed ones."""
import calendar
import csv
import datetime
import io
import re

import openpyxl
import pytest

from conftest import Client, phuong
from test_dossiers import DAYS, PHONE, SAME_DAY, add_staff, intake, login, post_step
from util import check_page, parse, squash, text

VN = datetime.timezone(datetime.timedelta(hours=7))
DAY = 86400
APPLICANT = "Nguyễn Thị Hoa"
ODD_OFFICER = "=HYPERLINK(\"http://x.test\",\"bấm\")"
ODD_PASSWORD = "Chuyên viên lạ 2025 #1"


def month_start(year, month):
    return calendar.timegm((year, month, 1, 0, 0, 0)) - 7 * 3600


def shift(year, month, delta):
    i = year * 12 + month - 1 + delta
    return i // 12, i % 12 + 1


def month_bounds(delta):
    """(key, start, end) of the month delta months from now's, in UTC+7."""
    now = datetime.datetime.now(VN)
    y, m = shift(now.year, now.month, delta)
    ny, nm = shift(y, m, 1)
    return "%04d-%02d" % (y, m), month_start(y, m), month_start(ny, nm)


def cells(row):
    return {td.get("data-col"): squash(text(td)) for td in row.xpath("./td[@data-col]")}


def table(doc, section):
    """{row name: {column: text}} of a table of the statistics page, with its total."""
    out = {}
    for tr in doc.xpath("//section[@id='%s']//tbody/tr[td[@data-col]]" % section):
        out[squash(text(tr.xpath("./th")[0]))] = cells(tr)
    total = doc.xpath("//section[@id='%s']//tfoot/tr" % section)
    if total:
        out["TOTAL"] = cells(total[0])
    return out


def expect(received=0, online=0, on_time=0, late=0, open_in_time=0, open_overdue=0,
           closed_other=0):
    finished = on_time + late
    if finished:
        rate = (on_time * 1000 + finished // 2) // finished
        rate = "%d%%" % (rate // 10) if rate % 10 == 0 else "%d,%d%%" % (rate // 10, rate % 10)
    else:
        rate = "—"
    return {"received": str(received), "counter": str(received - online), "online": str(online),
            "finished": str(finished), "on_time": str(on_time), "late": str(late),
            "open_in_time": str(open_in_time), "open_overdue": str(open_overdue),
            "closed_other": str(closed_other), "rate": rate}


def add(*rows):
    keys = ("received", "online", "on_time", "late", "open_in_time", "open_overdue",
            "closed_other")
    total = {k: 0 for k in keys}
    for r in rows:
        for k in keys:
            total[k] += r[k]
    return total


@pytest.fixture(scope="module")
def office(module_server):
    s = module_server
    add_staff(s)
    r = phuong("user", "add", "chuyenvien2", "--role", "specialist", "--name", ODD_OFFICER,
               "--data", s.data, "--database", s.database, "--password-stdin",
               stdin=ODD_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    odd = Client(s)
    token = odd.csrf_from("/quan-tri/dang-nhap")
    assert odd.post("/quan-tri/dang-nhap", {"username": "chuyenvien2", "password": ODD_PASSWORD,
                                            "csrf": token}).status_code == 303
    return {"server": s, "clerk": login(s, "canbo"), "specialist": login(s, "chuyenvien"),
            "leader": login(s, "lanhdao"), "odd": odd}


@pytest.fixture(scope="module")
def cases(office):
    """Dossiers with known times in month M (two months ago), around it, and now."""
    s, clerk, specialist = office["server"], office["clerk"], office["specialist"]
    key, ms, me = month_bounds(-2)
    prev_key, ps, pe = month_bounds(-1)
    now = int(datetime.datetime.now(VN).timestamp())
    h = 3600

    def make(procedure, taker=None, **cols):
        r, code = intake(clerk, procedure)
        assert code, r.status_code
        if taker is not None:
            assert post_step(office[taker], code, "nhan-xu-ly").status_code == 303
        sets = ", ".join("%s = %s" % (k, "NULL" if v is None else
                                      ("'%s'" % v if isinstance(v, str) else int(v)))
                         for k, v in cols.items())
        s.db.run("UPDATE dossier SET %s WHERE code = '%s'" % (sets, code))
        return code

    c = {}
    # Finished in M, on time, taken by the specialist; returned to the citizen.
    c["A"] = make(DAYS, "specialist", received_at=ms + 2 * DAY, due_at=ms + 5 * DAY,
                  finished_at=ms + 4 * DAY, returned_at=ms + 4 * DAY + h, status="returned")
    # Online, finished late in M.
    c["B"] = make(DAYS, "specialist", channel="online", received_at=ms + 3 * DAY,
                  due_at=ms + 6 * DAY, finished_at=ms + 8 * DAY, status="result_ready")
    # Same day procedure, nobody took it, finished on time.
    c["C"] = make(SAME_DAY, received_at=ms + 5 * DAY, due_at=ms + 5 * DAY + 8 * h,
                  finished_at=ms + 5 * DAY + 4 * h, status="returned")
    # Taken, still in processing, due inside M: overdue at its end.
    c["D"] = make(SAME_DAY, "specialist", received_at=ms + 10 * DAY, due_at=ms + 12 * DAY,
                  status="processing", finished_at=None)
    # Received an hour before M ends, due after: open within time.
    c["E"] = make(DAYS, received_at=me - h, due_at=me + 3 * DAY, status="received",
                  finished_at=None)
    # Refused in M: counted apart.
    c["F"] = make(DAYS, received_at=ms + 7 * DAY, due_at=ms + 9 * DAY,
                  finished_at=ms + 7 * DAY + h, status="refused")
    # Received before M, finished on time in M (by the odd officer).
    c["G"] = make(DAYS, "odd", received_at=ms - 5 * DAY, due_at=ms + 2 * DAY,
                  finished_at=ms + DAY, status="returned")
    # Received in M, result only in the next month, late then: open within time at M's end.
    c["H"] = make(DAYS, received_at=ms + 20 * DAY, due_at=me + DAY, finished_at=me + 2 * DAY,
                  status="returned")
    # Received and finished before M: not in M at all.
    c["I"] = make(DAYS, received_at=ms - 10 * DAY, due_at=ms - DAY,
                  finished_at=ms - 2 * DAY, status="returned")
    # Overdue and still open now, with a letter of apology (Mẫu 04).
    c["J"] = make(DAYS, "specialist", received_at=ms + 15 * DAY, due_at=ms + 17 * DAY,
                  extended_due_at=now + 3 * DAY, status="processing", finished_at=None)
    # Overdue and open, no apology yet.
    c["K"] = make(DAYS, received_at=ms + 16 * DAY, due_at=ms + 18 * DAY, status="received",
                  finished_at=None)
    # Finished on time this month.
    c["L"] = make(SAME_DAY, received_at=now - 120, due_at=now + DAY, finished_at=now - 60,
                  status="result_ready")
    ids = {k: s.db.value("SELECT id FROM dossier WHERE code = '%s'" % v) for k, v in c.items()}
    for dossier, level, at in (("A", 3, ms + 6 * DAY), ("C", 2, ms + 6 * DAY)):
        s.db.run("INSERT INTO dossier_rating (unit_id, dossier_id, procedure_id, rated_at,"
                 " overall) SELECT unit_id, id, procedure_id, %d, %d FROM dossier WHERE id = %s"
                 % (at, level, ids[dossier]))
    procs = {}
    for slug in (DAYS, SAME_DAY):
        row = s.db.rows("SELECT v.name, v.field FROM procedure p JOIN procedure_version v"
                        " ON v.id = p.current_version_id WHERE p.code = '%s' AND p.unit_id = 1"
                        % slug)[0]
        procs[slug] = row
    return {"codes": c, "month": key, "prev": prev_key, "procs": procs, "office": office}


# Hand-computed counts of month M.
DAYS_M = dict(received=7, online=1, on_time=2, late=1, open_in_time=2, open_overdue=2,
              closed_other=1)           # A B E F H J K received; A G on time; B late
SAME_M = dict(received=2, online=0, on_time=1, late=0, open_in_time=0, open_overdue=1,
              closed_other=0)           # C D received; C on time; D overdue
SPECIALIST_M = dict(received=4, online=1, on_time=1, late=1, open_in_time=0, open_overdue=2,
                    closed_other=0)     # A B D J
ODD_M = dict(received=0, online=0, on_time=1, late=0, open_in_time=0, open_overdue=0,
             closed_other=0)            # G
NOBODY_M = dict(received=5, online=0, on_time=1, late=0, open_in_time=2, open_overdue=1,
                closed_other=1)         # C E F H K
TOTAL_M = add(DAYS_M, SAME_M)


def expected_tables(cases):
    days, same = cases["procs"][DAYS], cases["procs"][SAME_DAY]
    by_procedure = {days["name"]: expect(**DAYS_M), same["name"]: expect(**SAME_M),
                    "TOTAL": expect(**TOTAL_M)}
    if days["field"] == same["field"]:
        by_field = {days["field"]: expect(**TOTAL_M)}
    else:
        by_field = {days["field"]: expect(**DAYS_M), same["field"]: expect(**SAME_M)}
    by_field["TOTAL"] = expect(**TOTAL_M)
    by_officer = {"specialist": expect(**SPECIALIST_M), ODD_OFFICER: expect(**ODD_M),
                  "Chưa có người xử lý": expect(**NOBODY_M), "TOTAL": expect(**TOTAL_M)}
    return by_procedure, by_field, by_officer


def specialist_name(server):
    return server.db.value("SELECT display_name FROM app_user WHERE username = 'chuyenvien'")


def test_hand_computed_numbers_sum_up():
    assert add(SPECIALIST_M, ODD_M, NOBODY_M) == TOTAL_M
    assert TOTAL_M["on_time"] == 3 and TOTAL_M["late"] == 1


def test_the_monthly_page_shows_every_number(cases):
    office = cases["office"]
    s, leader = office["server"], office["leader"]
    r = leader.get("/quan-tri/thong-ke?thang=" + cases["month"])
    doc = check_page(r)
    by_procedure, by_field, by_officer = expected_tables(cases)
    by_officer[specialist_name(s)] = by_officer.pop("specialist")
    assert table(doc, "theo-thu-tuc") == by_procedure
    assert table(doc, "theo-linh-vuc") == by_field
    assert table(doc, "theo-can-bo") == by_officer
    assert squash(text(doc.xpath("//*[@id='sum-received']")[0])) == "9"
    assert squash(text(doc.xpath("//*[@id='sum-finished']")[0])) == "4"
    assert squash(text(doc.xpath("//*[@id='sum-rate']")[0])) == "75%"
    assert squash(text(doc.xpath("//*[@id='sum-open']")[0])) == "5"
    assert squash(text(doc.xpath("//*[@id='rating-3']")[0])) == "1"
    assert squash(text(doc.xpath("//*[@id='rating-2']")[0])) == "1"
    assert squash(text(doc.xpath("//*[@id='rating-1']")[0])) == "0"
    # The definitions are stated, and the officer's.
    t = squash(text(doc))
    assert "Cán bộ xử lý: chuyên viên nhận xử lý hồ sơ gần nhất" in t
    assert "Tỷ lệ đúng hạn = số hồ sơ giải quyết trước hạn, đúng hạn / số hồ sơ đã giải quyết" in t
    # Exports for the same month are linked.
    hrefs = doc.xpath("//a/@href")
    assert "/quan-tri/thong-ke.csv?thang=" + cases["month"] in hrefs
    assert "/quan-tri/thong-ke.xlsx?thang=" + cases["month"] in hrefs
    # No applicant's data on the staff page either.
    assert APPLICANT not in r.text and PHONE not in r.text


def test_the_trend_and_its_chart(cases):
    office = cases["office"]
    r = office["clerk"].get("/quan-tri/thong-ke?thang=" + cases["prev"])
    doc = check_page(r)
    rows = {squash(text(tr.xpath("./th")[0])): cells(tr)
            for tr in doc.xpath("//section[@id='xu-huong']//tbody/tr")}
    assert len(rows) == 12
    y, m = map(int, cases["month"].split("-"))
    py, pm = shift(y, m, -1)
    label = "Tháng %d/%d" % (m, y)
    assert rows[label] == {"received": "9", "finished": "4", "on_time": "3", "rate": "75%"}
    # Before M: G and I received, I finished on time.
    assert rows["Tháng %d/%d" % (pm, py)] == {"received": "2", "finished": "1", "on_time": "1",
                                             "rate": "100%"}
    # The month shown: H finished late, nothing received.
    ny, nm = shift(y, m, 1)
    assert rows["Tháng %d/%d" % (nm, ny)] == {"received": "0", "finished": "1", "on_time": "0",
                                             "rate": "0%"}
    svg = doc.xpath("//figure//*[local-name()='svg']")
    assert svg, "no inline SVG chart"
    svg = svg[0]
    assert svg.get("role") == "img"
    assert svg.xpath("./*[local-name()='title']")[0].text.startswith("Hồ sơ tiếp nhận")
    desc = svg.xpath("./*[local-name()='desc']")[0].text
    assert "%s: 9 hồ sơ tiếp nhận, tỷ lệ đúng hạn 75%%." % label in desc
    labels = [t.text for t in svg.xpath(".//*[local-name()='text'][@class='month']")]
    assert labels[-1] == "%02d/%02d" % (nm, ny % 100)
    assert len(svg.xpath(".//*[local-name()='rect'][@class='bar']")) == 13
    assert "<script" not in r.text.split("<figure", 1)[1].split("</figure>", 1)[0]


def read_csv(resp):
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(resp.content[3:].decode("utf-8"), newline="")))


COLUMNS = ["received", "counter", "online", "finished", "on_time", "late", "open_in_time",
           "open_overdue", "closed_other", "rate"]


def test_the_csv_has_the_same_numbers_and_no_formulas(cases):
    office = cases["office"]
    s = office["server"]
    rows = read_csv(office["clerk"].get("/quan-tri/thong-ke.csv?thang=" + cases["month"]))
    assert rows[0][:2] == ["Nhóm", "Tên"] and rows[0][-1] == "Tỷ lệ đúng hạn"
    got = {}
    for row in rows[1:]:
        got.setdefault(row[0], {})[row[1]] = dict(zip(COLUMNS, row[2:]))
    by_procedure, by_field, by_officer = expected_tables(cases)
    by_officer["'" + ODD_OFFICER] = by_officer.pop(ODD_OFFICER)
    by_officer[specialist_name(s)] = by_officer.pop("specialist")
    total = by_procedure.pop("TOTAL")
    by_field.pop("TOTAL")
    by_officer.pop("TOTAL")
    assert got["Thủ tục"] == by_procedure
    assert got["Lĩnh vực"] == by_field
    assert got["Cán bộ xử lý"] == by_officer
    assert got["Tổng cộng"] == {cases["month"]: total}
    assert got["Xu hướng"][cases["month"]]["received"] == "9"
    assert got["Xu hướng"][cases["month"]]["rate"] == "75%"
    assert len(got["Xu hướng"]) == 12
    # The officer named like a formula starts with a quote, in the raw bytes too.
    assert ",\"'=HYPERLINK(" in office["clerk"].get(
        "/quan-tri/thong-ke.csv?thang=" + cases["month"]).content.decode("utf-8")


def test_the_xlsx_has_the_same_numbers(cases):
    office = cases["office"]
    s = office["server"]
    r = office["leader"].get("/quan-tri/thong-ke.xlsx?thang=" + cases["month"])
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Theo thủ tục", "Theo lĩnh vực", "Theo cán bộ", "Xu hướng 12 tháng"]
    by_procedure, by_field, by_officer = expected_tables(cases)
    by_officer[specialist_name(s)] = by_officer.pop("specialist")

    def sheet(name):
        out = {}
        for row in wb[name].iter_rows(min_row=2, values_only=True):
            if row[0] is None or row[1] is None:
                continue
            values = {}
            for col, v in zip(COLUMNS, row[1:]):
                if col == "rate":
                    if isinstance(v, (int, float)):
                        v = round(v * 1000)
                        v = "%d%%" % (v // 10) if v % 10 == 0 else "%d,%d%%" % (v // 10, v % 10)
                else:
                    assert isinstance(v, (int, float)), (name, row)
                    v = str(int(v))
                values[col] = v
            out["TOTAL" if row[0] == "Tổng cộng" else row[0]] = values
        return out

    assert sheet("Theo thủ tục") == by_procedure
    assert sheet("Theo lĩnh vực") == by_field
    assert sheet("Theo cán bộ") == by_officer
    # A formula-like name is a string cell, never a formula.
    odd = [c for c in wb["Theo cán bộ"]["A"] if c.value == ODD_OFFICER]
    assert odd and odd[0].data_type == "s"
    trend = {row[0]: row[1:] for row in wb["Xu hướng 12 tháng"].iter_rows(min_row=2,
                                                                           values_only=True)}
    assert len(trend) == 12
    received, finished, on_time, late, rate = trend[cases["month"]]
    assert (received, finished, on_time, late) == (9, 4, 3, 1) and abs(rate - 0.75) < 1e-9


def test_a_bad_month_is_refused_with_a_reason(cases):
    leader = cases["office"]["leader"]
    for bad in ("2026-13", "26-11", "1999-01", "2026-11-01", "x" * 300, "2026-1"):
        for path in ("/quan-tri/thong-ke", "/quan-tri/thong-ke.csv", "/quan-tri/thong-ke.xlsx"):
            r = leader.get(path, params={"thang": bad})
            assert r.status_code == 400, (path, bad, r.status_code)
            assert "Tháng không hợp lệ" in text(parse(r.content))
    # No month: this month, with L finished on time.
    doc = check_page(leader.get("/quan-tri/thong-ke"))
    assert squash(text(doc.xpath("//*[@id='sum-finished']")[0])) == "1"
    assert squash(text(doc.xpath("//*[@id='sum-rate']")[0])) == "100%"


def test_who_may_read_the_statistics(cases):
    office = cases["office"]
    s = office["server"]
    month = "?thang=" + cases["month"]
    for path in ("/quan-tri/thong-ke", "/quan-tri/thong-ke.csv", "/quan-tri/thong-ke.xlsx"):
        assert office["specialist"].get(path + month).status_code == 403, path
        assert s.client(login="editor").get(path + month).status_code == 403, path
        assert Client(s).get(path + month).status_code in (302, 303, 401, 403), path
        for who in ("clerk", "leader"):
            assert office[who].get(path + month).status_code == 200, (who, path)
        assert s.client(login="admin").get(path + month).status_code == 200, path
    # The menu offers it to those who may read it.
    doc = check_page(office["clerk"].get("/quan-tri"))
    assert "/quan-tri/thong-ke" in doc.xpath("//nav//a/@href")
    doc = check_page(office["specialist"].get("/quan-tri"))
    assert "/quan-tri/thong-ke" not in doc.xpath("//nav//a/@href")


def board(client):
    r = client.get("/cam-ket-phuc-vu")
    return r, check_page(r)


def test_the_promise_board_is_public_and_has_no_personal_data(cases):
    office = cases["office"]
    s = office["server"]
    c = cases["codes"]
    r, doc = board(Client(s))
    # The overdue dossier with an apology, by code, with its new appointment.
    rows = {squash(text(tr.xpath("./td")[0])): [squash(text(td)) for td in tr.xpath("./td")]
            for tr in doc.xpath("//section[@id='qua-han']//tbody/tr")}
    assert set(rows) == {c["J"]}, rows
    assert cases["procs"][DAYS]["name"] in rows[c["J"]][1]
    extended = int(s.db.value("SELECT extended_due_at FROM dossier WHERE code = '%s'" % c["J"]))
    when = datetime.datetime.fromtimestamp(extended, VN)
    assert "%02d/%02d/%04d" % (when.day, when.month, when.year) in rows[c["J"]][3]
    # On-time rates per procedure and month: M and the month after.
    heads = [squash(text(th)) for th in doc.xpath("//section[@id='dung-han']//thead/tr/th")]
    y, m = map(int, cases["month"].split("-"))
    col = heads.index("Tháng %d/%d" % (m, y))
    ny, nm = shift(y, m, 1)
    col_next = heads.index("Tháng %d/%d" % (nm, ny))
    assert len(heads) == 7
    table_rows = {squash(text(tr.xpath("./th")[0])): tr.xpath("./td")
                  for tr in doc.xpath("//section[@id='dung-han']//tbody/tr")}
    days = table_rows[cases["procs"][DAYS]["name"]]
    assert squash(text(days[col - 1])).startswith("66,7%")
    assert days[col - 1].get("data-finished") == "3" and days[col - 1].get("data-on-time") == "2"
    assert squash(text(days[col_next - 1])).startswith("0%")
    same = table_rows[cases["procs"][SAME_DAY]["name"]]
    assert squash(text(same[col - 1])).startswith("100%")
    assert squash(text(same[-1])).startswith("100%")  # L, this month
    assert squash(text(same[col_next - 1])) == "—"
    # Satisfaction over the six months.
    assert squash(text(doc.xpath("//*[@id='ratings-total']")[0])) == "2"
    counts = [squash(text(x)) for x in doc.xpath("//ul[@class='board-ratings']//strong")]
    assert counts == ["1", "1", "0"]
    # Never personal data: the applicants' name, phone, number, address or email.
    body = r.content.decode("utf-8")
    for private in (APPLICANT, PHONE, "0912345678", "345 678", "079123456789", "Lê Lợi",
                    "hoa@example.vn"):
        assert private not in body, private
    # Linked from the catalogue.
    doc = check_page(Client(s).get("/thu-tuc"))
    assert "/cam-ket-phuc-vu" in doc.xpath("//a/@href")


def test_the_promise_board_follows_new_data_after_a_write(cases):
    office = cases["office"]
    s = office["server"]
    c = cases["codes"]
    visitor = Client(s)
    r, doc = board(visitor)
    assert c["K"] not in r.text
    r2 = visitor.get("/cam-ket-phuc-vu")
    assert r2.headers.get("X-Cache") == "HIT"
    now = int(datetime.datetime.now(VN).timestamp())
    s.db.run("UPDATE dossier SET extended_due_at = %d WHERE code = '%s'" % (now + 5 * DAY, c["K"]))
    # Any staff write moves the unit's pages on.
    r, code = intake(office["clerk"], SAME_DAY)
    assert code
    r, doc = board(visitor)
    assert c["K"] in r.text


def test_the_province_sees_on_time_rates_per_unit(cases):
    office = cases["office"]
    s = office["server"]
    r = phuong("user", "add", "theodoi", "--role", "province_viewer", "--data", s.data,
               "--database", s.database, "--password-stdin", stdin="Theo dõi cấp tỉnh 2025 #1\n")
    assert r.returncode == 0, r.stderr
    viewer = Client(s)
    token = viewer.csrf_from("/quan-tri/dang-nhap")
    assert viewer.post("/quan-tri/dang-nhap", {"username": "theodoi",
                                               "password": "Theo dõi cấp tỉnh 2025 #1",
                                               "csrf": token}).status_code == 303
    doc = check_page(viewer.get("/quan-tri/tinh"))
    code = s.db.value("SELECT code FROM unit WHERE id = 1")
    row = [tr for tr in doc.xpath("//tbody/tr") if squash(text(tr.xpath("./td")[0])) == code][0]
    got = {td.get("data-col"): squash(text(td)) for td in row.xpath("./td[@data-col]")}
    # This month: L on time; last month: H late.
    assert got["rate"].startswith("100%") and got["previous_rate"].startswith("0%"), got
    heads = squash(text(doc.xpath("//thead")[0]))
    assert "Tỷ lệ giải quyết hồ sơ đúng hạn" in heads


def test_another_unit_sees_none_of_these_numbers(cases):
    office = cases["office"]
    s = office["server"]
    r = phuong("user", "add", "tinh", "--role", "province_admin", "--data", s.data,
               "--database", s.database, "--password-stdin", stdin="Quản trị cấp tỉnh 2025 #1\n")
    assert r.returncode == 0, r.stderr
    province = Client(s)
    token = province.csrf_from("/quan-tri/dang-nhap")
    assert province.post("/quan-tri/dang-nhap", {"username": "tinh",
                                                 "password": "Quản trị cấp tỉnh 2025 #1",
                                                 "csrf": token}).status_code == 303
    host = "xa-thong-ke.test"
    token = province.csrf_from("/quan-tri/tinh/don-vi", "/quan-tri/tinh/don-vi")
    r = province.post("/quan-tri/tinh/don-vi", {"csrf": token, "code": "27099",
                                                "name": "Xã Thống Kê", "hosts": host,
                                                "admin": "quantri-tk"})
    assert r.status_code == 201, squash(r.text)[:300]
    one_time = parse(r.content).xpath('//*[@id="one-time-password"]/text()')[0]
    admin = Client(s, host=host)
    token = admin.csrf_from("/quan-tri/dang-nhap")
    assert admin.post("/quan-tri/dang-nhap", {"username": "quantri-tk", "password": one_time,
                                              "csrf": token}).status_code == 303
    token = admin.csrf_from("/quan-tri/mat-khau", "/quan-tri/mat-khau")
    password = "Quản trị xã Thống Kê #1"
    assert admin.post("/quan-tri/mat-khau", {"csrf": token, "current_password": one_time,
                                             "password": password,
                                             "password_again": password}).status_code == 303
    doc = check_page(admin.get("/quan-tri/thong-ke?thang=" + cases["month"]))
    for section in ("theo-thu-tuc", "theo-linh-vuc", "theo-can-bo"):
        t = table(doc, section)
        assert set(t) == {"TOTAL"}, (section, t)
        assert t["TOTAL"] == expect(), section
    assert squash(text(doc.xpath("//*[@id='sum-received']")[0])) == "0"
    page = doc.xpath("//main")[0] if doc.xpath("//main") else doc
    body = squash(text(page))
    assert cases["procs"][DAYS]["name"] not in body
    rows = read_csv(admin.get("/quan-tri/thong-ke.csv?thang=" + cases["month"]))
    assert [r[0] for r in rows[1:]] == ["Tổng cộng"] + ["Xu hướng"] * 12
    assert all(v in ("0", "", "—") for row in rows[1:] for v in row[2:])
    r = Client(s, host=host).get("/cam-ket-phuc-vu")
    assert r.status_code == 200
    for code in cases["codes"].values():
        assert code not in r.text
    assert cases["procs"][DAYS]["name"] not in r.text
    assert squash(text(parse(r.content).xpath("//*[@id='ratings-total']")[0])) == "0"

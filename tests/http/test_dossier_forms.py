"""The rest of the dossier flow (issue 4): the notice that processing is stopped (Mẫu 05),
the applicant mailed on refusal (Mẫu 03), extension (Mẫu 04) and stop, the extended
appointment on the receipt and the lookup, the unit's promise paused by a supplement
request like the legal appointment, the tracking book (Mẫu 07), and staff opening the
files a citizen attached online."""
import datetime
import email
import email.policy
import re
from urllib.parse import quote

import pytest

from smtp_sink import SmtpSink
from test_dossiers import (PDF, VN, extend, intake, local_input, login, mail_server,
                           online_form, post_step, refuse, request_supplement)
from test_dossiers import office  # noqa: F401 (the fixture)
from util import check_page, parse, png_bytes, squash, text

PROMISED = "chung-thuc-hop-dong"  # the demo procedure with the ward's own promise


def stop(client, code, reason="Người yêu cầu đã chết, không còn người thừa kế",
         basis="Khoản 3 Điều 10 Nghị định 118/2025/NĐ-CP"):
    token = client.csrf_from("/quan-tri/ho-so/%s" % code, None)
    return client.post("/quan-tri/ho-so/%s/dung-giai-quyet" % code,
                       {"csrf": token, "reason": reason, "basis": basis})


def by_id(doc, ident):
    found = doc.xpath("//*[@id='%s']" % ident)
    assert found, ident
    return squash(text(found[0]))


# ---- Mẫu 05 ----

def test_a_leader_stops_an_open_dossier_with_a_reason_and_prints_form_05(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    _, code = intake(clerk)
    q = "SELECT status, national_status, finished_at FROM dossier WHERE code = '%s'" % code
    before = s.db.rows(q)[0]
    n = s.db.value("SELECT count(*) FROM dossier_event")
    # Only a leader sees the form and may stop.
    _, doc = clerk.page("/quan-tri/ho-so/%s" % code)
    assert not doc.xpath("//form[@id='stop']")
    _, doc = leader.page("/quan-tri/ho-so/%s" % code)
    assert doc.xpath("//form[@id='stop' and @action='/quan-tri/ho-so/%s/dung-giai-quyet']"
                     % code)
    assert stop(clerk, code).status_code == 403
    assert stop(office["specialist"], code).status_code == 403
    for reason in ("", "   "):
        r = stop(leader, code, reason=reason)
        assert r.status_code == 422, (reason, r.status_code)
        assert "lý do dừng giải quyết" in text(parse(r.content))
    assert s.db.rows(q)[0] == before and s.db.value("SELECT count(*) FROM dossier_event") == n
    assert leader.get("/quan-tri/ho-so/%s/thong-bao-dung" % code).status_code == 404
    r = stop(leader, code)
    assert r.status_code == 303 and r.headers["Location"] == \
        "/quan-tri/ho-so/%s/thong-bao-dung" % code
    row = s.db.rows(q)[0]
    assert row["status"] == "stopped" and int(row["national_status"]) == 8
    assert row["finished_at"] is not None
    ev = s.db.rows("SELECT e.action, e.from_status, e.to_status, e.note, e.role"
                   " FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id"
                   " WHERE d.code = '%s' ORDER BY e.id DESC" % code)[0]
    assert (ev["action"], ev["from_status"], ev["to_status"], ev["role"]) == \
        ("stop", "received", "stopped", "leader")
    assert ev["note"].startswith("Người yêu cầu đã chết")
    assert int(s.db.value("SELECT count(*) FROM audit_log WHERE action = 'dossier.stop' AND"
                          " object_id = (SELECT id FROM dossier WHERE code = '%s')"
                          % code)) == 1
    # Finished: no second stop, no step, no apology.
    assert stop(leader, code).status_code == 409
    assert post_step(office["specialist"], code, "nhan-xu-ly").status_code == 409
    due = datetime.datetime.fromtimestamp(
        int(s.db.value("SELECT due_at FROM dossier WHERE code = '%s'" % code)), VN)
    assert extend(leader, code, local_input(due + datetime.timedelta(days=3))).status_code == 409
    # The notice, for every dossier role.
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/thong-bao-dung" % code))
    t = squash(text(doc))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in t and "Mẫu số 05" in t
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t.upper()
    assert by_id(doc, "code") == code
    assert by_id(doc, "applicant") == "Nguyễn Thị Hoa"
    assert by_id(doc, "stop-reason") == "Người yêu cầu đã chết, không còn người thừa kế"
    assert by_id(doc, "stop-basis") == "Khoản 3 Điều 10 Nghị định 118/2025/NĐ-CP"
    assert re.search(r"ngày \d\d tháng \d\d năm \d{4}", by_id(doc, "stopped"))
    assert s.client(login="editor").get("/quan-tri/ho-so/%s/thong-bao-dung" % code) \
        .status_code == 403
    # The staff page links the notice and offers no more stop.
    _, doc = leader.page("/quan-tri/ho-so/%s" % code)
    assert doc.xpath("//a[@href='/quan-tri/ho-so/%s/thong-bao-dung']" % code)
    assert not doc.xpath("//form[@id='stop']")
    assert by_id(doc, "dossier-status") == "Dừng xử lý"
    # A refused dossier is finished too.
    _, other = intake(clerk)
    assert refuse(clerk, other, "Không thuộc thẩm quyền").status_code == 303
    assert stop(leader, other).status_code == 409


def test_a_dossier_awaiting_a_supplement_can_be_stopped_without_a_legal_ground(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    _, code = intake(clerk)
    assert request_supplement(clerk, code).status_code == 303
    r = stop(leader, code, reason="Công dân không bổ sung hồ sơ", basis="")
    assert r.status_code == 303
    row = s.db.rows("SELECT status, paused_at, paused_left FROM dossier WHERE code = '%s'"
                    % code)[0]
    assert row == {"status": "stopped", "paused_at": None, "paused_left": None}
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/thong-bao-dung" % code))
    assert by_id(doc, "stop-reason") == "Công dân không bổ sung hồ sơ"
    assert not doc.xpath("//*[@id='stop-basis']")


def test_the_lookup_shows_a_stop_as_a_status_only(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    _, code = intake(clerk)
    assert stop(leader, code, reason="Lý do riêng tư XYZ", basis="Căn cứ riêng ABC") \
        .status_code == 303
    r = s.client().get("/tra-cuu-ho-so?ma=%s&sdt=5678" % code)
    doc = check_page(r)
    assert by_id(doc, "lookup-status") == "Dừng xử lý"
    for secret in ("XYZ", "ABC", "lanhdao", "Nguyễn Thị Hoa"):
        assert secret not in r.text, secret


# ---- emails ----

def test_the_applicant_is_mailed_the_refusal_the_extension_and_the_stop(tmp_path,
                                                                        start_server):
    with SmtpSink(tmp_path / "inbox") as sink:
        s, who = mail_server(start_server, tmp_path, "smtp://127.0.0.1:%d" % sink.port)

        def last():
            messages = sink.messages()
            return len(messages), email.message_from_bytes(messages[-1],
                                                           policy=email.policy.default)
        _, refused = intake(who["canbo"])
        assert refuse(who["canbo"], refused, "Không thuộc thẩm quyền của phường") \
            .status_code == 303
        n, msg = last()
        assert n == 1 and msg["To"].addresses[0].addr_spec == "hoa@example.vn"
        assert refused in msg["Subject"] and "không được tiếp nhận" in msg["Subject"]
        assert "Lý do: Không thuộc thẩm quyền của phường" in msg.get_content()

        _, late = intake(who["canbo"])
        due = datetime.datetime.fromtimestamp(
            int(s.db.value("SELECT due_at FROM dossier WHERE code = '%s'" % late)), VN)
        new_due = (due + datetime.timedelta(days=4)).replace(hour=10, minute=30)
        assert extend(who["lanhdao"], late, local_input(new_due)).status_code == 303
        n, msg = last()
        assert n == 2 and late in msg["Subject"] and "hẹn lại" in msg["Subject"]
        body = msg.get_content()
        assert "Cần xác minh thêm với cơ quan khác" in body
        assert new_due.strftime("10 giờ 30 phút, ngày %d tháng %m năm %Y") in body

        _, stopped = intake(who["canbo"])
        assert stop(who["lanhdao"], stopped).status_code == 303
        n, msg = last()
        assert n == 3 and stopped in msg["Subject"] and "dừng giải quyết" in msg["Subject"]
        body = msg.get_content()
        assert "Lý do: Người yêu cầu đã chết" in body
        assert "Căn cứ: Khoản 3 Điều 10" in body

        # No address given: no mail, whatever happens.
        _, quiet = intake(who["canbo"], email="")
        assert refuse(who["canbo"], quiet, "Thiếu thẩm quyền").status_code == 303
        _, quiet = intake(who["canbo"], email="")
        assert stop(who["lanhdao"], quiet).status_code == 303
        assert len(sink.messages()) == 3


# ---- the extended appointment ----

def test_the_extended_appointment_shows_on_the_receipt_the_lookup_and_the_staff_page(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    _, code = intake(clerk)
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/bien-nhan" % code))
    assert not doc.xpath("//*[@id='r-extended']")
    assert not check_page(s.client().get("/tra-cuu-ho-so?ma=%s&sdt=5678" % code)) \
        .xpath("//*[@id='lookup-extended']")
    due = datetime.datetime.fromtimestamp(
        int(s.db.value("SELECT due_at FROM dossier WHERE code = '%s'" % code)), VN)
    new_due = (due + datetime.timedelta(days=5)).replace(hour=9, minute=15)
    assert extend(leader, code, local_input(new_due)).status_code == 303
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/bien-nhan" % code))
    t = squash(text(doc))
    assert "Hẹn lại ngày trả kết quả" in t
    assert new_due.strftime("09 giờ 15 phút, ngày %d tháng %m năm %Y") in by_id(doc, "r-extended")
    # The original appointment stays beside it.
    assert due.strftime("ngày %d tháng %m năm %Y") in by_id(doc, "r-due")
    # The QR still carries the signed legal appointment and still loads.
    assert clerk.get("/quan-tri/ho-so/%s/qr.svg" % code).status_code == 200
    doc = check_page(s.client().get("/tra-cuu-ho-so?ma=%s&sdt=5678" % code))
    assert by_id(doc, "lookup-extended") == new_due.strftime("%d/%m/%Y 09:15")
    _, doc = clerk.page("/quan-tri/ho-so/%s" % code)
    assert new_due.strftime("%d/%m/%Y 09:15") in by_id(doc, "dossier-extended")


# ---- the promise paused by a supplement ----

def test_the_promise_moves_with_a_supplement_pause_like_the_appointment(office):
    s, clerk = office["server"], office["clerk"]
    r, code = intake(clerk, PROMISED)
    assert code, squash(r.text)[:300]
    q = "SELECT due_at, promise_due_at, paused_left, paused_promise_left FROM dossier" \
        " WHERE code = '%s'" % code
    first = s.db.rows(q)[0]
    promise0, due0 = int(first["promise_due_at"]), int(first["due_at"])
    assert 0 < promise0 < due0
    assert request_supplement(clerk, code).status_code == 303
    paused = s.db.rows(q)[0]
    assert int(paused["paused_promise_left"]) > 0
    assert int(paused["paused_promise_left"]) < int(paused["paused_left"])
    assert int(paused["promise_due_at"]) == promise0
    # A week passes; the request left 5 minutes less than now would (see test_dossiers).
    week = 7 * 86400
    s.db.run("UPDATE dossier SET received_at = received_at - %d, due_at = due_at - %d,"
             " promise_due_at = promise_due_at - %d, paused_at = paused_at - %d,"
             " paused_left = paused_left - 300, paused_promise_left = paused_promise_left - 300"
             " WHERE code = '%s'" % (week, week, week, week, code))
    s.db.run("UPDATE dossier_event SET at = at - %d WHERE dossier_id ="
             " (SELECT id FROM dossier WHERE code = '%s')" % (week, code))
    token = clerk.csrf_from("/quan-tri/ho-so/%s" % code, None)
    assert clerk.post("/quan-tri/ho-so/%s/nhan-bo-sung" % code,
                      {"csrf": token}).status_code == 303
    row = s.db.rows(q)[0]
    assert row["paused_promise_left"] is None and row["paused_left"] is None
    promise = int(row["promise_due_at"])
    # The working time left at the request runs again from now: the week does not count.
    assert promise0 - 300 <= promise <= promise0, (promise, promise0)
    assert promise - (promise0 - week) >= week - 300
    assert promise < int(row["due_at"])
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/bien-nhan" % code))
    local = datetime.datetime.fromtimestamp(promise, VN)
    assert local.strftime("ngày %d tháng %m năm %Y") in by_id(doc, "r-promise")
    audit = s.db.value("SELECT after_json FROM audit_log WHERE action ="
                       " 'dossier.supplement_receive' AND object_id ="
                       " (SELECT id FROM dossier WHERE code = '%s')" % code)
    assert '"promise_due_at":%d' % promise in audit.replace(" ", "")


# ---- Mẫu 07 ----

def book(client, tu, den):
    return client.get("/quan-tri/ho-so/so-theo-doi?tu=%s&den=%s" % (tu, den))


def test_the_tracking_book_lists_a_period_with_every_column(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    day = (datetime.datetime.now(VN) - datetime.timedelta(days=27)).replace(
        hour=8, minute=0, second=0, microsecond=0)
    codes = [intake(clerk, received_at=local_input(day + datetime.timedelta(minutes=i)))[1]
             for i in range(5)]
    _, outside = intake(clerk, received_at=local_input(day + datetime.timedelta(days=1)))
    done, refused, stopped, withdrawn, _ = codes
    for slug, role, _ in (("nhan-xu-ly", "specialist", 0), ("trinh-ky", "specialist", 0),
                          ("ky-duyet", "leader", 0), ("tra-ket-qua", "clerk", 0)):
        assert post_step(office[role], done, slug).status_code == 303
    assert refuse(clerk, refused, "Không thuộc thẩm quyền").status_code == 303
    assert stop(leader, stopped).status_code == 303
    assert post_step(clerk, withdrawn, "rut-ho-so").status_code == 303
    iso = day.strftime("%Y-%m-%d")
    r = book(office["specialist"], iso, iso)
    doc = check_page(r)
    t = squash(text(doc))
    assert "SỔ THEO DÕI HỒ SƠ" in t and "Mẫu số 07" in t
    rows = doc.xpath("//table[@id='book-rows']/tbody/tr")
    assert [tr.get("data-code") for tr in rows] == codes
    assert outside not in r.text
    heads = [squash(text(th)) for th in doc.xpath("//table[@id='book-rows']/thead//th")]
    for head in ("Số TT", "Mã hồ sơ", "Tên thủ tục", "Ngày nhận hồ sơ", "Ngày hẹn trả kết quả",
                 "Ngày chuyển hồ sơ", "Ngày nhận kết quả", "Ngày trả kết quả", "Ghi chú"):
        assert head in heads, head
    cells = [squash(text(td)) for td in rows[0].xpath("td")]
    today = datetime.datetime.now(VN).strftime("%d/%m/%Y")
    assert cells[0] == "1" and cells[1] == done and "Xác nhận thông tin hộ tịch" in cells[2]
    assert cells[3] == "1"
    assert "Nguyễn Thị Hoa" in cells[4] and "Lê Lợi" in cells[4] and "0912 345 678" in cells[4]
    assert cells[6] == day.strftime("%d/%m/%Y")
    assert re.match(r"\d\d/\d\d/\d{4}", cells[7])
    assert cells[8] == cells[9] == cells[10] == today  # taken, signed, returned today
    assert cells[11] == "" and cells[12] == ""
    notes = [squash(text(tr.xpath("td")[12])) for tr in rows]
    assert notes[1:] == ["Không được tiếp nhận", "Dừng xử lý", "Công dân rút hồ sơ", ""]
    assert [squash(text(tr.xpath("td")[10])) for tr in rows[1:]] == ["", "", "", ""]
    assert "(5 hồ sơ)" in by_id(doc, "book-period-text")
    assert not doc.xpath("//*[@id='book-capped']")
    # The queue page offers the book; the literal path is not taken for a dossier code.
    _, doc = clerk.page("/quan-tri/ho-so")
    assert doc.xpath("//form[@id='book-form' and @action='/quan-tri/ho-so/so-theo-doi']")
    doc = check_page(clerk.get("/quan-tri/ho-so/so-theo-doi"))
    assert doc.xpath("//table[@id='book-rows']")


def test_the_tracking_book_refuses_bad_periods_and_outsiders(office):
    s, clerk = office["server"], office["clerk"]
    for tu, den, message in (("2025-13-01", "2025-12-31", "hợp lệ"),
                             ("2025-02-30", "2025-03-01", "hợp lệ"),
                             ("ngày", "2025-01-01", "hợp lệ"),
                             ("2025-03-01", "2025-02-01", "từ ngày bắt đầu"),
                             ("2024-01-01", "2025-01-01", "một năm")):
        r = book(clerk, tu, den)
        assert r.status_code == 422, (tu, den, r.status_code)
        assert message in by_id(parse(r.content), "book-error"), (tu, den)
        assert not parse(r.content).xpath("//table[@id='book-rows']")
    r = clerk.get("/quan-tri/ho-so/so-theo-doi?tu=2025-01-01")
    assert r.status_code == 422
    assert check_page(book(clerk, "2024-01-01", "2024-12-31")).xpath("//table[@id='book-rows']")
    assert s.client(login="editor").get("/quan-tri/ho-so/so-theo-doi").status_code == 403
    r = s.client().get("/quan-tri/ho-so/so-theo-doi?tu=2025-01-01&den=2025-01-31")
    assert r.status_code == 303 and "/quan-tri/dang-nhap" in r.headers["Location"]


def test_the_tracking_book_is_capped_with_a_note(office):
    s, clerk = office["server"], office["clerk"]
    day = (datetime.datetime.now(VN) - datetime.timedelta(days=29)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    _, code = intake(clerk, received_at=local_input(day))
    s.db.run(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2005)"
        " INSERT INTO dossier (unit_id, code, procedure_id, procedure_version_id, channel,"
        " applicant_name, received_at, due_at, status, national_status)"
        " SELECT d.unit_id, d.code || '-' || n.i, d.procedure_id, d.procedure_version_id,"
        " 'counter', 'Người thứ ' || n.i, d.received_at + n.i, d.due_at, 'received', 2"
        " FROM dossier d, n WHERE d.code = '%s'" % code)
    iso = day.strftime("%Y-%m-%d")
    doc = check_page(book(clerk, iso, iso))
    assert len(doc.xpath("//table[@id='book-rows']/tbody/tr")) == 2000
    assert "2006 hồ sơ" in by_id(doc, "book-capped")
    assert "2000" in by_id(doc, "book-capped")


# ---- attachments ----

def test_staff_open_the_files_a_citizen_attached_online(office):
    s, clerk = office["server"], office["clerk"]
    citizen = s.client()
    png = png_bytes(40, 30)
    r = citizen.post("/thu-tuc/dang-ky-khai-sinh/nop-truc-tuyen", online_form(citizen), files=[
        ("tep", ("tờ khai; gốc.pdf", PDF, "application/pdf")),
        ("tep", ("giay-chung-sinh.png", png, "image/png"))])
    assert r.status_code == 201, squash(r.text)[-300:]
    code = squash(text(parse(r.content).xpath("//*[@id='dossier-code']")[0]))
    _, doc = office["specialist"].page("/quan-tri/ho-so/%s" % code)
    links = doc.xpath("//ul[@id='dossier-files']//a")
    assert [squash(text(a)) for a in links] == ["tờ khai; gốc.pdf", "giay-chung-sinh.png"]
    hrefs = [a.get("href") for a in links]
    assert all(re.match(r"^/quan-tri/ho-so/%s/tep/\d+$" % re.escape(code), h) for h in hrefs)
    r = office["specialist"].get(hrefs[0])
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "private, no-store"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;"), disposition
    assert 'filename="t__khai__g_c.pdf"' in disposition, disposition
    assert "filename*=UTF-8''%s" % quote("tờ khai; gốc.pdf", safe="") in disposition
    r = clerk.get(hrefs[1])
    assert r.status_code == 200 and r.content == png and r.headers["Content-Type"] == "image/png"
    # A counter dossier lists none; a file id under another dossier's code is not found.
    _, counter = intake(clerk)
    _, doc = clerk.page("/quan-tri/ho-so/%s" % counter)
    assert not doc.xpath("//ul[@id='dossier-files']")
    file_id = hrefs[0].rsplit("/", 1)[1]
    assert clerk.get("/quan-tri/ho-so/%s/tep/%s" % (counter, file_id)).status_code == 404
    for bad in ("0", "x", "99999999", "-1"):
        assert clerk.get("/quan-tri/ho-so/%s/tep/%s" % (code, bad)).status_code == 404, bad
    # A citizen is sent to sign in; an editor is refused.
    r = s.client().get(hrefs[0])
    assert r.status_code == 303 and "/quan-tri/dang-nhap" in r.headers["Location"]
    assert s.client(login="editor").get(hrefs[0]).status_code == 403


# ---- time allotted per step ----

def test_each_step_is_due_by_its_share_of_the_working_time(office):
    s, clerk, specialist = office["server"], office["clerk"], office["specialist"]
    _, code = intake(clerk)
    # Received a month ago but due (moved by a long supplement pause, say) in a few days:
    # the hand-over to processing was due within the first tenth, long ago.
    s.db.run("UPDATE dossier SET received_at = received_at - %d WHERE code = '%s'"
             % (30 * 86400, code))
    row = s.db.rows("SELECT received_at, due_at FROM dossier WHERE code = '%s'" % code)[0]
    received, due = int(row["received_at"]), int(row["due_at"])
    assert post_step(specialist, code, "nhan-xu-ly").status_code == 303
    assert post_step(specialist, code, "trinh-ky").status_code == 303
    assert post_step(office["leader"], code, "ky-duyet").status_code == 303
    events = s.db.rows("SELECT e.action, e.step_due_at, e.outcome FROM dossier_event e"
                       " JOIN dossier d ON d.id = e.dossier_id WHERE d.code = '%s'"
                       " AND e.action IN ('take', 'submit', 'sign') ORDER BY e.id" % code)
    take, submit, sign = events
    assert received < int(take["step_due_at"]) < int(submit["step_due_at"]) < \
        int(sign["step_due_at"]) == due
    assert take["outcome"] == "late"
    assert sign["outcome"] in ("early", "on_time")
    # The control sheet (Mẫu 06) shows the late hand-over.
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/phieu-kiem-soat" % code))
    assert "Quá hạn" in text(doc)

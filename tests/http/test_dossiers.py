"""Dossiers of the one-stop shop (issue 4, part 2): intake at the counter with the day's
code and the appointment, the receipt (Mẫu 01), the flow between clerk, specialist and
leader with each step refused to the other roles, queues, the control sheet (Mẫu 06), and
the public lookup by code and the last four digits of the phone number."""
import datetime
import re
import shutil
import subprocess
import threading

import pytest

from conftest import Server, free_port, phuong
from smtp_sink import SmtpSink
from util import check_page, parse, png_bytes, squash, text

STAFF = {"canbo": ("clerk", "Cán bộ một cửa 2025 #1"),
         "chuyenvien": ("specialist", "Chuyên viên xử lý 2025 #1"),
         "lanhdao": ("leader", "Lãnh đạo ký duyệt 2025 #1")}
VN = datetime.timezone(datetime.timedelta(hours=7))
SAME_DAY = "chung-thuc-ban-sao"
DAYS = "xac-nhan-thong-tin-ho-tich"
PHONE = "0912 345 678"


def add_staff(server):
    for user, (role, password) in STAFF.items():
        r = phuong("user", "add", user, "--role", role, "--data", server.data, "--database",
                   server.database, "--password-stdin", stdin=password + "\n")
        assert r.returncode == 0, r.stderr


def login(server, user):
    c = server.client()
    token = c.csrf_from("/quan-tri/dang-nhap")
    r = c.post("/quan-tri/dang-nhap", {"username": user, "password": STAFF[user][1],
                                       "csrf": token})
    assert r.status_code == 303, (user, r.status_code)
    return c


@pytest.fixture(scope="module")
def office(module_server):
    add_staff(module_server)
    return {"server": module_server, "clerk": login(module_server, "canbo"),
            "specialist": login(module_server, "chuyenvien"),
            "leader": login(module_server, "lanhdao")}


def intake(clerk, procedure=DAYS, received_at="", **fields):
    """Receives a dossier; returns (response of the POST, code or None)."""
    r, doc = clerk.page("/quan-tri/ho-so/tiep-nhan?thu-tuc=" + procedure)
    assert r.status_code == 200, r.status_code
    form = doc.xpath("//form[@action='/quan-tri/ho-so/tiep-nhan' and @method='post']")[0]
    data = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input")}
    for sel in form.xpath(".//select"):
        chosen = sel.xpath("./option[@selected]/@value") or sel.xpath("./option/@value")
        data[sel.get("name")] = chosen[0]
    data.update({"name": "Nguyễn Thị Hoa", "id_number": "079123456789",
                 "address": "12 Lê Lợi, Phường 9", "phone": PHONE, "email": "hoa@example.vn",
                 "sets": "1", "received_at": received_at})
    data.update(fields)
    r = clerk.post("/quan-tri/ho-so/tiep-nhan", data)
    if r.status_code != 303:
        return r, None
    m = re.match(r"^/quan-tri/ho-so/([^/]+)/bien-nhan$", r.headers["Location"])
    assert m, r.headers["Location"]
    return r, m.group(1)


def local_input(dt):
    return dt.strftime("%Y-%m-%dT%H:%M")


def unit_code(server):
    return server.db.value("SELECT code FROM unit WHERE id = 1")


def test_intake_gives_a_code_and_a_receipt_with_every_field(office):
    s, clerk = office["server"], office["clerk"]
    r, code = intake(clerk)
    assert code, (r.status_code, squash(text(parse(r.content).xpath("//main")[0]))[:400])
    today = datetime.datetime.now(VN).strftime("%y%m%d")
    assert re.match(r"^%s-%s-\d{4}$" % (re.escape(unit_code(s)), today), code), code
    r = clerk.get("/quan-tri/ho-so/%s/bien-nhan" % code)
    doc = check_page(r)
    t = squash(text(doc))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in t
    assert squash(text(doc.xpath("//*[@id='dossier-code']")[0])) == code
    assert squash(text(doc.xpath("//*[@id='r-name']")[0])) == "Nguyễn Thị Hoa"
    assert squash(text(doc.xpath("//*[@id='r-phone']")[0])) == PHONE
    assert squash(text(doc.xpath("//*[@id='r-email']")[0])) == "hoa@example.vn"
    assert "Lê Lợi" in text(doc.xpath("//*[@id='r-address']")[0])
    assert "Xác nhận thông tin hộ tịch" in text(doc.xpath("//*[@id='r-procedure']")[0])
    assert "3 ngày làm việc" in text(doc.xpath("//*[@id='r-legal']")[0])
    assert re.search(r"\d\d giờ \d\d phút, ngày \d\d tháng \d\d năm \d{4}",
                     text(doc.xpath("//*[@id='r-received']")[0]))
    assert re.search(r"giờ .* phút, ngày", text(doc.xpath("//*[@id='r-due']")[0]))
    assert doc.xpath("//table[@class='receipt-docs']//tbody/tr")
    assert "Bản chính" in text(doc.xpath("//table[@class='receipt-docs']")[0])
    assert squash(text(doc.xpath("//*[@id='r-sets']")[0])) == "1"
    assert "Quyển số" in t and "NGƯỜI TIẾP NHẬN HỒ SƠ" in t and "NGƯỜI NỘP HỒ SƠ" in t
    qr = doc.xpath("//div[@class='receipt-qr']")
    assert qr and qr[0].get("data-code") == code
    row = s.db.rows("SELECT status, national_status, channel, procedure_version_id, created_by"
                    " FROM dossier WHERE code = '%s'" % code)[0]
    assert row["status"] == "received" and int(row["national_status"]) == 2
    assert row["channel"] == "counter" and row["procedure_version_id"] and row["created_by"]
    assert int(s.db.value("SELECT count(*) FROM dossier_event e JOIN dossier d"
                          " ON d.id = e.dossier_id WHERE d.code = '%s' AND e.action = 'receive'"
                          % code)) == 1


def test_intake_refuses_bad_input_and_writes_nothing(office):
    s, clerk = office["server"], office["clerk"]
    n = s.db.value("SELECT count(*) FROM dossier")
    for fields, message in (({"name": ""}, "họ tên"), ({"phone": "12"}, "Số điện thoại"),
                            ({"id_number": "12ab"}, "định danh"), ({"sets": "0"}, "Số bộ"),
                            ({"received_at": "2001-01-01T08:00"}, "30 ngày")):
        r, code = intake(clerk, **fields)
        assert code is None and r.status_code == 422, (fields, r.status_code)
        assert message in text(parse(r.content)), (fields, message)
    assert s.db.value("SELECT count(*) FROM dossier") == n


def test_codes_of_a_day_are_consecutive_and_the_next_day_starts_again(office):
    s, clerk = office["server"], office["clerk"]
    day = (datetime.datetime.now(VN) - datetime.timedelta(days=12)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    codes = [intake(clerk, received_at=local_input(day + datetime.timedelta(minutes=i)))[1]
             for i in range(3)]
    nxt = intake(clerk, received_at=local_input(day + datetime.timedelta(days=1)))[1]
    prefix = "%s-%s-" % (unit_code(s), day.strftime("%y%m%d"))
    assert codes == [prefix + "0001", prefix + "0002", prefix + "0003"], codes
    assert nxt == "%s-%s-0001" % (unit_code(s), (day + datetime.timedelta(days=1)).strftime("%y%m%d"))


def test_concurrent_intakes_get_distinct_codes(office):
    s = office["server"]
    clerks = [login(s, "canbo") for _ in range(6)]
    day = (datetime.datetime.now(VN) - datetime.timedelta(days=20)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    codes, errors = [], []
    barrier = threading.Barrier(len(clerks))

    def run(c):
        try:
            barrier.wait(10)
            r, code = intake(c, received_at=local_input(day))
            codes.append(code or r.status_code)
        except Exception as e:  # noqa: BLE001: reported below
            errors.append(repr(e))
    threads = [threading.Thread(target=run, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    prefix = "%s-%s-" % (unit_code(s), day.strftime("%y%m%d"))
    assert sorted(map(str, codes)) == ["%s%04d" % (prefix, i) for i in range(1, len(clerks) + 1)], codes


def test_same_day_procedure_received_after_15h_is_due_the_next_working_day(office):
    s, clerk = office["server"], office["clerk"]
    now = datetime.datetime.now(VN)
    # The latest Tuesday at least a day ago: Wednesday after it is a working day.
    back = (now.weekday() - 1) % 7 or 7
    tuesday = (now - datetime.timedelta(days=back)).replace(hour=15, minute=30, second=0,
                                                            microsecond=0)
    r, late = intake(clerk, SAME_DAY, received_at=local_input(tuesday))
    assert late, squash(r.text)[:300]
    r, early = intake(clerk, SAME_DAY, received_at=local_input(tuesday.replace(hour=14)))
    assert early
    due_late = datetime.datetime.fromtimestamp(
        int(s.db.value("SELECT due_at FROM dossier WHERE code = '%s'" % late)), VN)
    due_early = datetime.datetime.fromtimestamp(
        int(s.db.value("SELECT due_at FROM dossier WHERE code = '%s'" % early)), VN)
    assert due_early.date() == tuesday.date()
    assert due_late.date() == (tuesday + datetime.timedelta(days=1)).date(), due_late
    doc = parse(clerk.get("/quan-tri/ho-so/%s/bien-nhan" % late).content)
    assert "ngày %s" % (tuesday + datetime.timedelta(days=1)).strftime("%d tháng %m năm %Y") in \
        text(doc.xpath("//*[@id='r-due']")[0])


STEPS = [("nhan-xu-ly", "specialist", "processing"), ("trinh-ky", "specialist", "awaiting_signature"),
         ("ky-duyet", "leader", "result_ready"), ("tra-ket-qua", "clerk", "returned")]


def post_step(client, code, slug):
    token = client.csrf_from("/quan-tri/ho-so/%s" % code, None)
    return client.post("/quan-tri/ho-so/%s/%s" % (code, slug), {"csrf": token, "note": "ok"})


def test_each_step_belongs_to_one_role(office):
    s = office["server"]
    _, code = intake(office["clerk"])
    for slug, role, status in STEPS:
        for other in ("clerk", "specialist", "leader"):
            if other != role:
                assert post_step(office[other], code, slug).status_code == 403, (slug, other)
        assert s.db.value("SELECT status FROM dossier WHERE code = '%s'" % code) != status
        r = post_step(office[role], code, slug)
        assert r.status_code == 303, (slug, role, r.status_code)
        assert s.db.value("SELECT status FROM dossier WHERE code = '%s'" % code) == status
        # The same step again is a conflict, not a second event.
        assert post_step(office[role], code, slug).status_code == 409
    events = s.db.rows("SELECT e.action, e.outcome, e.actor_name, e.role FROM dossier_event e"
                       " JOIN dossier d ON d.id = e.dossier_id WHERE d.code = '%s'"
                       " ORDER BY e.id" % code)
    assert [e["action"] for e in events] == ["receive", "take", "submit", "sign", "return"]
    assert all(e["outcome"] in ("early", "on_time") for e in events), events
    assert events[3]["actor_name"] == "lanhdao" and events[3]["role"] == "leader"
    assert int(s.db.value("SELECT national_status FROM dossier WHERE code = '%s'" % code)) == 10
    assert int(s.db.value("SELECT count(*) FROM audit_log WHERE action LIKE 'dossier.%%'"
                          " AND object_id = (SELECT id FROM dossier WHERE code = '%s')"
                          % code)) == 5
    doc = check_page(office["leader"].get("/quan-tri/ho-so/%s/phieu-kiem-soat" % code))
    t = text(doc)
    assert "PHIẾU KIỂM SOÁT" in t and "lanhdao" in t and "Lãnh đạo ký duyệt" in t
    # Withdrawal: the clerk only, and only before the result.
    _, other = intake(office["clerk"])
    assert post_step(office["specialist"], other, "rut-ho-so").status_code == 403
    assert post_step(office["clerk"], other, "rut-ho-so").status_code == 303
    assert int(s.db.value("SELECT national_status FROM dossier WHERE code = '%s'" % other)) == 7
    assert post_step(office["specialist"], other, "nhan-xu-ly").status_code == 409


def test_the_counter_transfers_a_dossier_to_the_specialists(office):
    """Received at the counter, handed to the specialists' office (transferred, national 4),
    then taken for processing; only the clerk transfers, and only a received dossier."""
    s = office["server"]
    _, code = intake(office["clerk"])
    for other in ("specialist", "leader"):
        assert post_step(office[other], code, "chuyen-xu-ly").status_code == 403, other
    assert post_step(office["clerk"], code, "chuyen-xu-ly").status_code == 303
    row = s.db.rows("SELECT status, national_status FROM dossier WHERE code = '%s'" % code)[0]
    assert row["status"] == "transferred" and int(row["national_status"]) == 4
    assert post_step(office["clerk"], code, "chuyen-xu-ly").status_code == 409
    r, doc = office["specialist"].page("/quan-tri/ho-so")
    assert code in text(doc)
    r, doc = office["clerk"].page("/quan-tri/ho-so/%s" % code)
    assert "Đã chuyển bộ phận chuyên môn" in text(doc)
    anon = s.client()
    assert "Đã chuyển bộ phận chuyên môn" in text(check_page(
        anon.get("/tra-cuu-ho-so?ma=%s&sdt=5678" % code)))
    assert post_step(office["specialist"], code, "nhan-xu-ly").status_code == 303
    events = s.db.rows("SELECT e.action, e.from_status, e.to_status, e.outcome FROM dossier_event e"
                       " JOIN dossier d ON d.id = e.dossier_id WHERE d.code = '%s'"
                       " ORDER BY e.id" % code)
    assert [(e["action"], e["to_status"]) for e in events] == [
        ("receive", "received"), ("transfer", "transferred"), ("take", "processing")]
    assert events[2]["from_status"] == "transferred"
    assert all(e["outcome"] in ("early", "on_time") for e in events[1:]), events


def test_queues_show_each_role_its_dossiers_sorted_and_marked(office):
    s = office["server"]
    old = (datetime.datetime.now(VN) - datetime.timedelta(days=25)).replace(hour=8)
    _, overdue = intake(office["clerk"], received_at=local_input(old))
    _, fresh = intake(office["clerk"])
    r, doc = office["specialist"].page("/quan-tri/ho-so")
    check_page(r)
    rows = [squash(text(tr)) for tr in doc.xpath("//table[contains(@class,'dossier-queue')]//tbody/tr")]
    codes = [re.search(r"\S+-\d{6}-\d{4,}", row).group(0) for row in rows]
    assert overdue in codes and fresh in codes
    assert codes.index(overdue) < codes.index(fresh)
    assert "Quá hạn" in rows[codes.index(overdue)]
    assert doc.xpath("//tr[contains(@class,'overdue')]")
    # A leader's queue holds only what awaits signature; an editor sees no queue.
    r, doc = office["leader"].page("/quan-tri/ho-so")
    assert overdue not in text(doc)
    assert s.client(login="editor").get("/quan-tri/ho-so").status_code == 403


def test_lookup_shows_status_without_personal_data_and_no_oracle(office):
    s = office["server"]
    _, code = intake(office["clerk"])
    anon = s.client()
    r = anon.get("/tra-cuu-ho-so?ma=%s&sdt=5678" % code)
    doc = check_page(r)
    t = text(doc.xpath("//main")[0] if doc.xpath("//main") else doc)
    assert "Đã tiếp nhận" in t and "Xác nhận thông tin hộ tịch" in t
    for secret in ("Nguyễn Thị Hoa", "079123456789", "Lê Lợi", "hoa@example.vn", "0912",
                   "canbo"):
        assert secret not in r.text, secret
    wrong = anon.get("/tra-cuu-ho-so?ma=%s&sdt=1234" % code)
    missing = anon.get("/tra-cuu-ho-so?ma=%s&sdt=5678" % (code[:-4] + "9999"))
    assert wrong.status_code == missing.status_code == 404
    def answer(resp):
        d = parse(resp.content)
        return squash(text(d.xpath("//*[@id='lookup-not-found']")[0]))
    assert answer(wrong) == answer(missing)
    assert "lookup-result" not in wrong.text


def test_lookups_are_throttled_per_address(fresh):
    c = fresh.client()
    statuses = [c.get("/tra-cuu-ho-so?ma=X-260101-0001&sdt=0000").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_lookup_limit_setting_throttles_at_its_value_and_zero_means_none(tmp_path,
                                                                         start_server):
    s = start_server(tmp_path / "three", extra_args=("--lookup-limit", "3"))
    c = s.client()
    statuses = [c.get("/tra-cuu-ho-so?ma=X-260101-0001&sdt=0000").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert "Retry-After" in c.get("/tra-cuu-ho-so?ma=X-260101-0001&sdt=0000").headers
    ini = tmp_path / "phuong.ini"
    ini.write_text("[server]\nlookup_limit = 0\n")
    s = start_server(tmp_path / "none", extra_args=("--config", str(ini)))
    c = s.client()
    statuses = {c.get("/tra-cuu-ho-so?ma=X-260101-0001&sdt=0000").status_code for _ in range(40)}
    assert statuses == {404}
    assert int(s.db.value("SELECT count(*) FROM dossier_lookup")) == 0
    r = phuong("serve", "--lookup-limit", "-1", "--data", tmp_path / "bad")
    assert r.returncode == 2 and "lookup-limit" in r.stderr


def test_concurrent_lookups_are_counted_not_refused(tmp_path, start_server):
    # Each counted lookup writes; many at once (a carrier's NAT, a high limit) must wait for
    # one another, not fail with 503 because another writer passed their read snapshot.
    s = start_server(tmp_path / "busy", extra_args=("--lookup-limit", "100000"))
    statuses, lock = [], threading.Lock()

    def look():
        c = s.client()
        got = [c.get("/tra-cuu-ho-so?ma=X-260101-0001&sdt=0000").status_code for _ in range(25)]
        with lock:
            statuses.extend(got)
    threads = [threading.Thread(target=look) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 200 and set(statuses) == {404}, sorted(set(statuses))
    assert int(s.db.value("SELECT count(*) FROM dossier_lookup")) == 200


ONLINE = "dang-ky-khai-sinh"


def online_form(client, procedure=ONLINE):
    r, doc = client.page("/thu-tuc/%s/nop-truc-tuyen" % procedure)
    assert r.status_code == 200, r.status_code
    form = doc.xpath("//form[@action='/thu-tuc/%s/nop-truc-tuyen']" % procedure)[0]
    data = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input")}
    assert form.xpath(".//select[@name='delivery']/option[@selected]/@value") == ["online"]
    data.update({"name": "Trần Văn Bình", "phone": "0987 654 321", "delivery": "online",
                 "address": "5 Nguyễn Huệ"})
    return data


def submit_online(client, data, procedure=ONLINE):
    r = client.post("/thu-tuc/%s/nop-truc-tuyen" % procedure, data)
    code = None
    if r.status_code in (200, 201):
        found = parse(r.content).xpath("//*[@id='dossier-code']")
        code = squash(text(found[0])) if found else None
    return r, code


def test_online_submission_twice_with_the_same_token_makes_one_dossier(office):
    s = office["server"]
    citizen = s.client()
    data = online_form(citizen)
    assert len(data["token"]) == 64
    r1, first = submit_online(citizen, data)
    assert r1.status_code == 201 and first, (r1.status_code, squash(r1.text)[-300:])
    assert "ngày" in text(parse(r1.content).xpath("//*[@id='dossier-due']")[0])
    r2, again = submit_online(citizen, data)
    assert r2.status_code == 200 and again == first
    # At the same moment from two connections: still one.
    results = []
    other = dict(online_form(citizen))
    threads = [threading.Thread(target=lambda: results.append(submit_online(citizen, other)[1]))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(set(results)) == 1 and results[0] and results[0] != first, results
    assert int(s.db.value("SELECT count(*) FROM dossier WHERE idempotency_key IN ('%s', '%s')"
                          % (data["token"], other["token"]))) == 2
    row = s.db.rows("SELECT channel, status, created_by FROM dossier WHERE code = '%s'" % first)[0]
    assert row["channel"] == "online" and row["status"] == "received" and not row["created_by"]
    # A new form has a new token; a procedure without an online service has no form.
    assert online_form(citizen)["token"] not in (data["token"], other["token"])
    assert citizen.get("/thu-tuc/%s/nop-truc-tuyen" % SAME_DAY).status_code == 404
    _, doc = citizen.page("/thu-tuc/%s" % ONLINE)
    assert "/thu-tuc/%s/nop-truc-tuyen" % ONLINE in doc.xpath("//main//a/@href")
    _, doc = citizen.page("/thu-tuc/%s" % SAME_DAY)
    assert not [h for h in doc.xpath("//a/@href") if h.endswith("/nop-truc-tuyen")]
    r, _ = submit_online(citizen, dict(online_form(citizen), phone="12"))
    assert r.status_code == 422


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_online_attachments_are_checked_by_content_and_never_public(office):
    s = office["server"]
    citizen = s.client()
    data = online_form(citizen)
    r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, data, files=[
        ("tep", ("to-khai.pdf", PDF, "application/pdf")),
        ("tep", ("giay-chung-sinh.png", png_bytes(40, 30), "image/png"))])
    assert r.status_code == 201, squash(r.text)[-300:]
    code = squash(text(parse(r.content).xpath("//*[@id='dossier-code']")[0]))
    rows = s.db.rows("SELECT f.name, f.mime, f.hash, f.size FROM dossier_file f JOIN dossier d"
                     " ON d.id = f.dossier_id WHERE d.code = '%s' ORDER BY f.id" % code)
    assert [(x["name"], x["mime"]) for x in rows] == [
        ("to-khai.pdf", "application/pdf"), ("giay-chung-sinh.png", "image/png")]
    assert int(rows[0]["size"]) == len(PDF)
    assert citizen.get("/tep/%s" % rows[0]["hash"]).status_code == 404
    # A text file named .pdf, or a GIF, is refused and nothing is written.
    n = s.db.value("SELECT count(*) FROM dossier")
    for name, body in (("gia.pdf", b"not a pdf at all"), ("anh.png", b"GIF89a" + b"\0" * 40)):
        r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, online_form(citizen),
                         files=[("tep", (name, body, "application/pdf"))])
        assert r.status_code == 422 and "PDF, JPEG hoặc PNG" in text(parse(r.content)), name
    assert s.db.value("SELECT count(*) FROM dossier") == n


def test_a_received_dossier_survives_kill_9(tmp_path, start_server):
    data = tmp_path / "data"
    s = Server(data)
    try:
        citizen = s.client()
        r, code = submit_online(citizen, online_form(citizen))
        assert r.status_code == 201 and code
    finally:
        s.proc.kill()  # SIGKILL: no clean shutdown
        s.proc.wait()
        s.stderr.close()
    again = start_server(data, users=False)
    assert int(again.db.value("SELECT count(*) FROM dossier WHERE code = '%s'" % code)) == 1
    r = again.client().get("/tra-cuu-ho-so?ma=%s&sdt=4321" % code)
    assert r.status_code == 200


def test_the_accounts_page_offers_the_one_stop_roles(office):
    s = office["server"]
    r, doc = s.client(login="admin").page("/quan-tri/nguoi-dung")
    offered = set(doc.xpath("//select[@id='new-role']/option/@value"))
    assert {"clerk", "specialist", "leader", "editor", "admin"} <= offered, offered
    row = [tr for tr in doc.xpath("//tbody/tr") if "lanhdao" in text(tr)][0]
    assert row.xpath(".//option[@selected]/@value") == ["leader"]


@pytest.mark.skipif(not (shutil.which("rsvg-convert") and shutil.which("zbarimg")),
                    reason="needs rsvg-convert (librsvg2-bin) and zbarimg (zbar-tools)")
def test_the_receipt_qr_is_signed_and_checks_without_the_server(office, tmp_path):
    """The QR on the receipt decodes to the dossier code, the procedure and the appointment,
    signed by the unit's key: `phuong receipt verify` says genuine with the public key only."""
    s, clerk = office["server"], office["clerk"]
    _, code = intake(clerk)
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/bien-nhan" % code))
    src = doc.xpath("//div[@class='receipt-qr']/img/@src")
    assert src == ["/quan-tri/ho-so/%s/qr.svg" % code]
    r = clerk.get(src[0])
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/svg+xml")
    svg, png = tmp_path / "qr.svg", tmp_path / "qr.png"
    svg.write_bytes(r.content)
    subprocess.run(["rsvg-convert", "-w", "400", "-h", "400", "-o", png, svg], check=True,
                   timeout=60)
    payload = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True,
                             timeout=60).stdout.strip()
    assert payload.startswith("PHUONG1|%s|" % code), payload
    key = phuong("receipt", "key", "--data", s.data).stdout.strip()
    r = phuong("receipt", "verify", payload, "--public-key", key)
    assert r.returncode == 0 and code in r.stdout, r.stdout + r.stderr
    forged = code[:-1] + ("1" if code[-1] != "1" else "2")
    r = phuong("receipt", "verify", payload.replace(code, forged), "--public-key", key)
    assert r.returncode == 1
    # Visitors and other roles get no QR.
    assert s.client().get(src[0]).status_code == 303
    assert office["specialist"].get(src[0]).status_code == 403


def request_supplement(client, code, items="Bản sao giấy khai sinh\nẢnh 4x6",
                       reason="Thiếu giấy tờ theo quy định"):
    token = client.csrf_from("/quan-tri/ho-so/%s" % code, None)
    return client.post("/quan-tri/ho-so/%s/yeu-cau-bo-sung" % code,
                       {"csrf": token, "items": items, "reason": reason})


def test_supplement_request_pauses_the_clock_and_prints_form_02(office):
    s, clerk, specialist = office["server"], office["clerk"], office["specialist"]
    _, code = intake(clerk)
    q = "SELECT status, national_status, due_at, paused_at, paused_left FROM dossier" \
        " WHERE code = '%s'" % code
    before = s.db.rows(q)[0]
    events = "SELECT count(*) FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id" \
             " WHERE d.code = '%s'" % code
    n = s.db.value(events)
    # The leader may not ask; bad input is refused and writes nothing.
    assert request_supplement(office["leader"], code).status_code == 403
    for items, reason, message in (("", "Thiếu", "giấy tờ cần bổ sung"),
                                   ("  \n \n", "Thiếu", "giấy tờ cần bổ sung"),
                                   ("Ảnh", "", "lý do"), ("x" * 301, "Thiếu", "300 ký tự")):
        r = request_supplement(specialist, code, items, reason)
        assert r.status_code == 422, (items, reason, r.status_code)
        assert message in text(parse(r.content)), (items, message)
    assert s.db.rows(q)[0] == before and s.db.value(events) == n
    # The specialist asks, from processing.
    assert post_step(specialist, code, "nhan-xu-ly").status_code == 303
    r = request_supplement(specialist, code)
    assert r.status_code == 303 and r.headers["Location"].endswith("/phieu-bo-sung")
    row = s.db.rows(q)[0]
    assert row["status"] == "supplement_requested" and int(row["national_status"]) == 5
    assert int(row["paused_left"]) > 0 and int(row["paused_at"]) > 0
    assert int(row["due_at"]) == int(before["due_at"])
    # Only one open request: the guidance is given once.
    assert request_supplement(specialist, code).status_code == 409
    assert request_supplement(clerk, code).status_code == 409
    # No step of the flow while the supplement is awaited.
    assert post_step(specialist, code, "trinh-ky").status_code == 409
    ev = s.db.rows("SELECT e.action, e.from_status, e.to_status, e.note, e.role"
                   " FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id"
                   " WHERE d.code = '%s' ORDER BY e.id DESC" % code)[0]
    assert ev["action"] == "supplement_request" and ev["from_status"] == "processing"
    assert ev["role"] == "specialist" and "Ảnh 4x6" in ev["note"]
    doc = check_page(specialist.get("/quan-tri/ho-so/%s/phieu-bo-sung" % code))
    t = squash(text(doc))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in t and "Mẫu số 02" in t
    assert squash(text(doc.xpath("//*[@id='code']")[0])) == code
    assert squash(text(doc.xpath("//*[@id='applicant']")[0])) == "Nguyễn Thị Hoa"
    assert [squash(text(li)) for li in doc.xpath("//ol[@id='supplement-items']/li")] == \
        ["Bản sao giấy khai sinh", "Ảnh 4x6"]
    assert squash(text(doc.xpath("//*[@id='supplement-reason']")[0])) == \
        "Thiếu giấy tờ theo quy định"
    assert re.search(r"ngày \d\d tháng \d\d năm \d{4}",
                     text(doc.xpath("//*[@id='requested']")[0]))
    # A dossier never asked has no form 02.
    _, other = intake(clerk)
    assert clerk.get("/quan-tri/ho-so/%s/phieu-bo-sung" % other).status_code == 404
    assert s.client(login="editor").get("/quan-tri/ho-so/%s/phieu-bo-sung" % code) \
        .status_code == 403


def test_the_complete_supplement_resumes_the_clock_with_the_time_left(office):
    s, clerk = office["server"], office["clerk"]
    _, code = intake(clerk)
    # The clerk may ask too, from received.
    assert request_supplement(clerk, code).status_code == 303
    due0 = int(s.db.value("SELECT due_at FROM dossier WHERE code = '%s'" % code))
    # A week passes while the citizen gathers the papers; the request left 5 minutes less
    # than now would, so that the seconds this test takes never carry the appointment past
    # the end of its working day.
    week = 7 * 86400
    s.db.run("UPDATE dossier SET received_at = received_at - %d, due_at = due_at - %d,"
             " paused_at = paused_at - %d, paused_left = paused_left - 300"
             " WHERE code = '%s'" % (week, week, week, code))
    s.db.run("UPDATE dossier_event SET at = at - %d WHERE dossier_id ="
                 " (SELECT id FROM dossier WHERE code = '%s')" % (week, code))
    token = clerk.csrf_from("/quan-tri/ho-so/%s" % code, None)
    for other in ("specialist", "leader"):
        t = office[other].csrf_from("/quan-tri/ho-so/%s" % code, None)
        assert office[other].post("/quan-tri/ho-so/%s/nhan-bo-sung" % code,
                                  {"csrf": t}).status_code == 403
    r = clerk.post("/quan-tri/ho-so/%s/nhan-bo-sung" % code, {"csrf": token})
    assert r.status_code == 303 and r.headers["Location"].endswith("/bien-nhan")
    row = s.db.rows("SELECT status, national_status, due_at, paused_at, paused_left"
                    " FROM dossier WHERE code = '%s'" % code)[0]
    assert row["status"] == "received" and int(row["national_status"]) == 2
    assert row["paused_at"] is None and row["paused_left"] is None
    # The working time left at the request runs again from now: the week does not count.
    due = int(row["due_at"])
    assert due0 - 300 <= due <= due0, (due, due0)
    assert due - (due0 - week) >= week - 300
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/bien-nhan" % code))
    local = datetime.datetime.fromtimestamp(due, VN)
    assert local.strftime("ngày %d tháng %m năm %Y") in text(doc.xpath("//*[@id='r-due']")[0])
    # Nothing awaited any more.
    token = clerk.csrf_from("/quan-tri/ho-so/%s" % code, None)
    assert clerk.post("/quan-tri/ho-so/%s/nhan-bo-sung" % code,
                      {"csrf": token}).status_code == 409
    assert s.db.value("SELECT action FROM dossier_event WHERE dossier_id = (SELECT id FROM"
                      " dossier WHERE code = '%s') ORDER BY id DESC LIMIT 1" % code) == \
        "supplement_receive"


def refuse(client, code, reason):
    token = client.csrf_from("/quan-tri/ho-so/%s" % code, None)
    return client.post("/quan-tri/ho-so/%s/tu-choi" % code, {"csrf": token, "note": reason})


def test_refusal_needs_a_reason_and_prints_form_03(office):
    s, clerk = office["server"], office["clerk"]
    _, code = intake(clerk)
    q = "SELECT status, national_status, finished_at FROM dossier WHERE code = '%s'" % code
    before = s.db.rows(q)[0]
    n = s.db.value("SELECT count(*) FROM dossier_event")
    assert refuse(office["specialist"], code, "Không thuộc thẩm quyền").status_code == 403
    assert refuse(office["leader"], code, "Không thuộc thẩm quyền").status_code == 403
    for reason in ("", "   "):
        r = refuse(clerk, code, reason)
        assert r.status_code == 422, (reason, r.status_code)
        assert "lý do từ chối" in text(parse(r.content))
    assert s.db.rows(q)[0] == before and s.db.value("SELECT count(*) FROM dossier_event") == n
    assert clerk.get("/quan-tri/ho-so/%s/phieu-tu-choi" % code).status_code == 404
    r = refuse(clerk, code, "Hồ sơ không thuộc thẩm quyền giải quyết của phường")
    assert r.status_code == 303
    row = s.db.rows(q)[0]
    assert row["status"] == "refused" and int(row["national_status"]) == 3
    assert row["finished_at"] is not None
    assert refuse(clerk, code, "Lần nữa").status_code == 409
    assert post_step(office["specialist"], code, "nhan-xu-ly").status_code == 409
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/phieu-tu-choi" % code))
    t = squash(text(doc))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in t and "Mẫu số 03" in t
    assert squash(text(doc.xpath("//*[@id='code']")[0])) == code
    assert squash(text(doc.xpath("//*[@id='applicant']")[0])) == "Nguyễn Thị Hoa"
    assert squash(text(doc.xpath("//*[@id='refusal-reason']")[0])) == \
        "Hồ sơ không thuộc thẩm quyền giải quyết của phường"
    # Only from received: once taken, the dossier can no longer be refused at the counter.
    _, other = intake(clerk)
    assert post_step(office["specialist"], other, "nhan-xu-ly").status_code == 303
    assert refuse(clerk, other, "Thiếu giấy tờ").status_code == 409


def extend(client, code, new_due, reason="Cần xác minh thêm với cơ quan khác"):
    token = client.csrf_from("/quan-tri/ho-so/%s" % code, None)
    return client.post("/quan-tri/ho-so/%s/xin-loi-hen-lai" % code,
                       {"csrf": token, "new_due": new_due, "reason": reason})


def test_apology_gives_a_new_appointment_before_the_old_one_passes(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    _, code = intake(clerk)
    q = "SELECT status, due_at, extended_due_at FROM dossier WHERE code = '%s'" % code
    before = s.db.rows(q)[0]
    due = datetime.datetime.fromtimestamp(int(before["due_at"]), VN)
    later = local_input(due + datetime.timedelta(days=3))
    n = s.db.value("SELECT count(*) FROM dossier_event")
    assert extend(clerk, code, later).status_code == 403
    assert extend(office["specialist"], code, later).status_code == 403
    for new_due, reason, message in ((later, "", "lý do"), ("ngày mai", "Chậm", "hợp lệ"),
                                     (local_input(due - datetime.timedelta(hours=2)), "Chậm",
                                      "sau ngày hẹn hiện tại")):
        r = extend(leader, code, new_due, reason)
        assert r.status_code == 422, (new_due, reason, r.status_code)
        assert message in text(parse(r.content)), (new_due, message)
    assert s.db.rows(q)[0] == before and s.db.value("SELECT count(*) FROM dossier_event") == n
    assert leader.get("/quan-tri/ho-so/%s/van-ban-xin-loi" % code).status_code == 404
    r = extend(leader, code, later)
    assert r.status_code == 303 and r.headers["Location"].endswith("/van-ban-xin-loi")
    row = s.db.rows(q)[0]
    # The legal appointment stays for the statistics: the dossier still counts late.
    assert row["due_at"] == before["due_at"] and row["status"] == "received"
    new = datetime.datetime.fromtimestamp(int(row["extended_due_at"]), VN)
    assert local_input(new) == later
    ev = s.db.rows("SELECT e.action, e.note, e.role, e.step_due_at FROM dossier_event e"
                   " JOIN dossier d ON d.id = e.dossier_id WHERE d.code = '%s'"
                   " ORDER BY e.id DESC" % code)[0]
    assert ev["action"] == "extend" and ev["role"] == "leader"
    assert ev["note"] == "Cần xác minh thêm với cơ quan khác"
    assert ev["step_due_at"] == before["due_at"]
    doc = check_page(clerk.get("/quan-tri/ho-so/%s/van-ban-xin-loi" % code))
    t = squash(text(doc))
    assert "Mẫu số 04" in t and "XIN LỖI" in t
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in t  # TT 03/2025 name
    assert squash(text(doc.xpath("//*[@id='code']")[0])) == code
    assert squash(text(doc.xpath("//*[@id='applicant']")[0])) == "Nguyễn Thị Hoa"
    assert squash(text(doc.xpath("//*[@id='apology-reason']")[0])) == \
        "Cần xác minh thêm với cơ quan khác"
    assert new.strftime("ngày %d tháng %m năm %Y") in text(doc.xpath("//*[@id='new-due']")[0])
    assert due.strftime("ngày %d tháng %m năm %Y") in text(doc.xpath("//*[@id='due']")[0])
    # A second letter must go past the new appointment.
    assert extend(leader, code, later).status_code == 422
    # A finished dossier: conflict.
    _, other = intake(clerk)
    assert refuse(clerk, other, "Không thuộc thẩm quyền").status_code == 303
    assert extend(leader, other, later).status_code == 409


def test_apology_is_refused_once_the_appointment_has_passed(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    received = datetime.datetime.now(VN) - datetime.timedelta(days=20)
    r, code = intake(clerk, received_at=local_input(received))
    assert code, r.status_code
    n = s.db.value("SELECT count(*) FROM dossier_event")
    r = extend(leader, code, local_input(datetime.datetime.now(VN) + datetime.timedelta(days=5)))
    assert r.status_code == 422
    assert "Đã quá ngày hẹn trả" in text(parse(r.content))
    assert s.db.value("SELECT extended_due_at FROM dossier WHERE code = '%s'" % code) is None
    assert s.db.value("SELECT count(*) FROM dossier_event") == n


def mail_server(start_server, tmp_path, smtp_url):
    ini = tmp_path / "phuong.ini"
    ini.write_text("[mail]\nsmtp_url = %s\nmail_from = mot-cua@phuong9.example.vn\n"
                   % smtp_url, encoding="utf-8")
    s = start_server(tmp_path / "data", extra_args=("--config", str(ini)))
    add_staff(s)
    return s, {user: login(s, user) for user in STAFF}


def test_the_applicant_is_mailed_the_supplement_request_and_the_result(tmp_path, start_server):
    import email
    import email.policy
    with SmtpSink(tmp_path / "inbox") as sink:
        s, who = mail_server(start_server, tmp_path, "smtp://127.0.0.1:%d" % sink.port)
        _, code = intake(who["canbo"])
        assert sink.messages() == []
        assert request_supplement(who["chuyenvien"], code).status_code == 303
        messages = sink.messages()
        assert len(messages) == 1
        msg = email.message_from_bytes(messages[0], policy=email.policy.default)
        assert msg["To"].addresses[0].addr_spec == "hoa@example.vn"
        assert code in msg["Subject"] and "bổ sung" in msg["Subject"]
        body = msg.get_content()
        assert "- Bản sao giấy khai sinh" in body and "- Ảnh 4x6" in body
        assert "Lý do: Thiếu giấy tờ theo quy định" in body and "Nguyễn Thị Hoa" in body
        token = who["canbo"].csrf_from("/quan-tri/ho-so/%s" % code, None)
        assert who["canbo"].post("/quan-tri/ho-so/%s/nhan-bo-sung" % code,
                                 {"csrf": token}).status_code == 303
        for slug, user in (("nhan-xu-ly", "chuyenvien"), ("trinh-ky", "chuyenvien")):
            assert post_step(who[user], code, slug).status_code == 303
        assert len(sink.messages()) == 1
        assert post_step(who["lanhdao"], code, "ky-duyet").status_code == 303
        messages = sink.messages()
        assert len(messages) == 2
        msg = email.message_from_bytes(messages[1], policy=email.policy.default)
        assert code in msg["Subject"] and "kết quả" in msg["Subject"]
        assert "đã có kết quả" in msg.get_content()
        # No address given: no mail.
        _, quiet = intake(who["canbo"], email="")
        assert request_supplement(who["chuyenvien"], quiet).status_code == 303
        assert len(sink.messages()) == 2


def test_a_mail_server_down_never_fails_the_request(tmp_path, start_server):
    s, who = mail_server(start_server, tmp_path, "smtp://127.0.0.1:%d" % free_port())
    _, code = intake(who["canbo"])
    assert request_supplement(who["chuyenvien"], code).status_code == 303
    assert s.db.value("SELECT status FROM dossier WHERE code = '%s'" % code) == \
        "supplement_requested"

"""Online submissions under load and abuse (issue 9, items 4 and 10): parallel submissions
never meet a busy database, an address and a unit are throttled, the unit's anonymous upload
volume is capped per hour, and a clerk can mark a submission as spam."""
import re
import threading

from conftest import phuong
from test_dossiers import add_staff, intake, login, online_form, submit_online
from util import check_page, parse, squash, text

PARALLEL = 16
ONLINE = "dang-ky-khai-sinh"
SUBMIT = "/thu-tuc/%s/nop-truc-tuyen" % ONLINE


def pdf(size):
    """A PDF of about size bytes, as dossier_file_check accepts it."""
    head, tail = b"%PDF-1.4\n1 0 obj<<>>endobj\n", b"\ntrailer<<>>\n%%EOF\n"
    return head + b"%" + b"x" * max(0, size - len(head) - len(tail) - 1) + tail


def submit(client, files=()):
    """An online submission with the PDFs of files (their sizes); (response, code)."""
    data = online_form(client)
    r = client.post(SUBMIT, data, files=[("tep", ("giay-to-%d.pdf" % i, pdf(n), "application/pdf"))
                                         for i, n in enumerate(files)])
    code = None
    if r.status_code == 201:
        code = squash(text(parse(r.content).xpath("//*[@id='dossier-code']")[0]))
    return r, code


def counts(s):
    return tuple(int(s.db.value("SELECT count(*) FROM %s" % t))
                 for t in ("dossier", "dossier_file", "dossier_event"))


def test_an_address_may_send_a_unit_submit_limit_submissions_an_hour(tmp_path, start_server):
    s = start_server(tmp_path / "limit", extra_args=("--submit-limit", "3"))
    c = s.client()
    codes = [submit(c)[1] for _ in range(3)]
    assert all(codes) and len(set(codes)) == 3
    before = counts(s)
    r, code = submit(c, files=[1000])
    assert r.status_code == 429 and code is None, r.status_code
    assert r.headers["Retry-After"] == "3600"
    message = text(parse(r.content).xpath("//*[@role='alert']")[0])
    assert "thử lại sau" in message and "Bộ phận một cửa" in message, message
    assert counts(s) == before
    rows = s.db.rows("SELECT unit_id, client_ip FROM dossier_submission")
    assert len(rows) == 3 and {(int(x["unit_id"]), x["client_ip"]) for x in rows} == {
        (1, "127.0.0.1")}
    # The limit is a setting: 0 counts nothing.
    s = start_server(tmp_path / "none", extra_args=("--submit-limit", "0",
                                                    "--submit-upload-mb", "0"))
    c = s.client()
    assert [submit(c)[0].status_code for _ in range(12)] == [201] * 12
    assert int(s.db.value("SELECT count(*) FROM dossier_submission")) == 0


def test_a_unit_takes_submit_upload_mb_of_attachments_an_hour(tmp_path, start_server):
    s = start_server(tmp_path / "volume", extra_args=("--submit-upload-mb", "1"))
    c = s.client()
    r, code = submit(c, files=[300_000, 300_000])
    assert r.status_code == 201 and code
    before = counts(s)
    r, _ = submit(c, files=[300_000, 200_000])
    assert r.status_code == 429
    assert "quá nhiều tệp" in text(parse(r.content).xpath("//*[@role='alert']")[0])
    assert counts(s) == before
    # A submission without files still goes through, and the default is documented.
    assert submit(c)[0].status_code == 201
    bad = phuong("serve", "--submit-upload-mb", "-1", "--data", tmp_path / "bad2")
    assert bad.returncode == 2 and "submit-upload-mb" in bad.stderr


def test_a_clerk_marks_a_submission_as_spam(tmp_path, start_server):
    s = start_server(tmp_path / "spam")
    add_staff(s)
    clerk, specialist = login(s, "canbo"), login(s, "chuyenvien")
    citizen = s.client()
    r, code = submit(citizen, files=[2000, 3000])
    assert r.status_code == 201 and code
    _, other = submit(citizen)
    doc = check_page(clerk.get("/quan-tri/ho-so/%s" % code))
    form = doc.xpath("//form[@id='spam']")
    assert form and form[0].get("action") == "/quan-tri/ho-so/%s/thu-rac" % code
    token = clerk.csrf(doc, "/thu-rac")
    # Only intake staff, with the form's token.
    assert not check_page(specialist.get("/quan-tri/ho-so/%s" % code)).xpath("//form[@id='spam']")
    assert specialist.post("/quan-tri/ho-so/%s/thu-rac" % code,
                           {"csrf": specialist.csrf_from("/quan-tri/ho-so/%s" % code)}
                           ).status_code == 403
    assert clerk.post("/quan-tri/ho-so/%s/thu-rac" % code, {}).status_code == 403
    files_before = int(s.db.value("SELECT count(*) FROM dossier_file"))
    # Without the box ticked nothing is deleted: the page says why.
    r = clerk.post("/quan-tri/ho-so/%s/thu-rac" % code, {"csrf": token})
    assert r.status_code == 422 and "xác nhận" in text(parse(r.content))
    assert int(s.db.value("SELECT count(*) FROM dossier WHERE code = '%s'" % code)) == 1
    assert form[0].xpath(".//input[@name='confirm'][@type='checkbox'][@required]")
    r = clerk.post("/quan-tri/ho-so/%s/thu-rac" % code, {"csrf": token, "confirm": "1"})
    assert r.status_code == 303 and r.headers["Location"].startswith("/quan-tri/ho-so?"), \
        r.status_code
    queue = check_page(clerk.get(r.headers["Location"]))
    assert "thư rác" in text(queue) and code not in text(queue) and other in text(queue)
    assert int(s.db.value("SELECT count(*) FROM dossier WHERE code = '%s'" % code)) == 0
    assert int(s.db.value("SELECT count(*) FROM dossier_file")) == files_before - 2
    spam = s.db.rows("SELECT code, files, bytes, marked_by FROM dossier_spam")
    assert len(spam) == 1 and spam[0]["code"] == code and int(spam[0]["files"]) == 2
    assert int(spam[0]["bytes"]) == 5000 and int(spam[0]["marked_by"]) > 0
    assert int(s.db.value("SELECT count(*) FROM audit_log WHERE action = 'dossier.spam'")) == 1
    assert s.client().get("/quan-tri/ho-so/%s" % code).status_code == 303
    assert clerk.get("/quan-tri/ho-so/%s" % code).status_code == 404
    # The public lookup says no more than for a code that never was.
    last4 = "4321"
    s.db.run("DELETE FROM dossier_lookup")
    unknown = code[:-4] + "9999"
    a = s.client().get("/tra-cuu-ho-so?ma=%s&sdt=%s" % (code, last4))
    b = s.client().get("/tra-cuu-ho-so?ma=%s&sdt=%s" % (unknown, last4))
    assert a.status_code == b.status_code == 404
    assert a.text.replace(code, "X") == b.text.replace(unknown, "X")
    # The code is never given again; a counter dossier or a second marking is refused.
    _, after = submit(citizen)
    assert after and after not in (code, other)
    assert int(after[-4:]) > int(code[-4:])
    token = clerk.csrf_from("/quan-tri/ho-so/%s" % other)
    assert clerk.post("/quan-tri/ho-so/%s/thu-rac" % code,
                      {"csrf": token, "confirm": "1"}).status_code == 404
    _, counter = intake(clerk)
    assert not check_page(clerk.get("/quan-tri/ho-so/%s" % counter)).xpath("//form[@id='spam']")
    r = clerk.post("/quan-tri/ho-so/%s/thu-rac" % counter, {"csrf": token, "confirm": "1"})
    assert r.status_code == 422 and "trực tuyến" in text(parse(r.content))
    assert int(s.db.value("SELECT count(*) FROM dossier WHERE code = '%s'" % counter)) == 1
BUSY_LINES = re.compile(r"database busy|cannot move the page generation")


def test_parallel_online_submissions_never_meet_a_busy_database(tmp_path, start_server):
    s = start_server(tmp_path / "parallel", extra_args=("--submit-limit", "0"))
    clients = [s.client() for _ in range(PARALLEL)]
    forms = [(c, online_form(c)) for c in clients]
    results, lock = [], threading.Lock()
    barrier = threading.Barrier(PARALLEL)

    def submit(c, data):
        barrier.wait()
        r, code = submit_online(c, data)
        with lock:
            results.append((r.status_code, code, squash(r.text)[-200:]))
    threads = [threading.Thread(target=submit, args=f) for f in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(x[0] for x in results) == [201] * PARALLEL, results
    assert len({x[1] for x in results}) == PARALLEL
    bad = [line for line in s.log().splitlines() if BUSY_LINES.search(line)]
    assert not bad, bad

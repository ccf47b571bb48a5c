"""Staff reading a dossier is written down (the personal data protection law makes the
ward answer for it): who opened its page, its files and its printed forms, and when. The
leader sees the dossier's reading history on its page, the admin on a page of its own
(without the dossier's contents); a clerk or specialist sees neither. The record is
append-only and scoped by unit."""
import re
import time

from test_dossiers import PDF, ONLINE, add_staff, login, online_form
from test_dossiers import office  # noqa: F401 (the fixture)
from util import parse, squash, text

TIME = re.compile(r"\d{1,2}:\d{2}")


def online_dossier_with_a_file(server):
    citizen = server.client()
    r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, online_form(citizen),
                     files=[("tep", ("to-khai.pdf", PDF, "application/pdf"))])
    assert r.status_code == 201, squash(r.text)[-300:]
    return squash(text(parse(r.content).xpath("//*[@id='dossier-code']")[0]))


def history_lines(doc):
    return [squash(text(li)) for li in doc.xpath("//ol[@id='access-history']/li")]


def test_a_clerks_reading_is_written_down_and_shown_to_the_leader_only(office):
    s, clerk, leader = office["server"], office["clerk"], office["leader"]
    code = online_dossier_with_a_file(s)
    _, doc = clerk.page("/quan-tri/ho-so/%s" % code)
    assert not doc.xpath("//*[@id='access-history']"), "a clerk sees the reading history"
    href = doc.xpath("//ul[@id='dossier-files']//a/@href")[0]
    assert clerk.get(href).status_code == 200
    assert clerk.get("/quan-tri/ho-so/%s/phieu-kiem-soat" % code).status_code == 200

    r, doc = leader.page("/quan-tri/ho-so/%s" % code)
    assert r.status_code == 200
    lines = history_lines(doc)
    clerks = [l for l in lines if "canbo" in l]
    assert len(clerks) == 3, lines
    assert all(TIME.search(l) for l in clerks), clerks
    assert any("to-khai.pdf" in l for l in clerks) and any("kiểm soát" in l for l in clerks)
    assert any("lanhdao" in l for l in lines), "the leader's own reading is not shown"
    # Reading the history wrote the readings kept in memory: they are all in the table.
    rows = s.db.rows("SELECT a.kind, a.detail, a.actor, a.user_id, a.unit_id FROM dossier_access a"
                     " JOIN dossier d ON d.id = a.dossier_id WHERE d.code = '%s' ORDER BY a.id"
                     % code)
    assert [(r["kind"], r["actor"]) for r in rows][:3] == [
        ("page", "canbo"), ("file", "canbo"), ("form", "canbo")], rows
    assert rows[1]["detail"] == "to-khai.pdf" and "kiểm soát" in rows[2]["detail"]

    # The clerk still sees no history, nor the history page; the specialist neither.
    _, doc = clerk.page("/quan-tri/ho-so/%s" % code)
    assert not doc.xpath("//*[@id='access-history']")
    assert clerk.get("/quan-tri/ho-so/%s/truy-cap" % code).status_code == 403
    assert office["specialist"].get("/quan-tri/ho-so/%s/truy-cap" % code).status_code == 403
    # The admin reads the history on its own page, without the applicant's data.
    admin = s.client(login="admin")
    r, doc = admin.page("/quan-tri/ho-so/%s/truy-cap" % code)
    assert r.status_code == 200
    assert len([l for l in history_lines(doc) if "canbo" in l]) == 4  # the page again, above
    assert "Trần Văn Bình" not in text(doc)
    assert admin.get("/quan-tri/ho-so/%s" % code).status_code == 403
    # Reading the history is not a reading of the dossier.
    n = len(s.db.rows("SELECT id FROM dossier_access"))
    admin.get("/quan-tri/ho-so/%s/truy-cap" % code)
    assert len(s.db.rows("SELECT id FROM dossier_access")) == n


def test_the_reading_record_is_append_only(office):
    s, clerk = office["server"], office["clerk"]
    code = online_dossier_with_a_file(s)
    assert clerk.get("/quan-tri/ho-so/%s" % code).status_code == 200
    db = s.db
    deadline = time.monotonic() + 10  # the server writes its readings every 2 s
    while not db.rows("SELECT id FROM dossier_access") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert db.run("UPDATE dossier_access SET actor = 'ai-do'", check=False).returncode != 0
    assert db.run("DELETE FROM dossier_access", check=False).returncode != 0
    assert len(db.rows("SELECT id FROM dossier_access")) > 0


def test_readings_kept_in_memory_are_written_at_shutdown(fresh):
    add_staff(fresh)
    clerk = login(fresh, "canbo")
    code = online_dossier_with_a_file(fresh)
    assert clerk.get("/quan-tri/ho-so/%s" % code).status_code == 200
    assert fresh.stop() == 0
    rows = fresh.db.rows("SELECT a.kind, a.actor FROM dossier_access a JOIN dossier d"
                         " ON d.id = a.dossier_id WHERE d.code = '%s'" % code)
    assert [(r["kind"], r["actor"]) for r in rows] == [("page", "canbo")], rows

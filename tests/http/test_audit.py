"""The audit log: every staff write is in it, `audit verify` checks its hash chain, and
tampering (even by someone who drops the append-only triggers) is found."""
import re

from conftest import phuong
from util import create_article, edit_form, png_bytes, text

def audit_ids(db):
    return [int(r["id"]) for r in db.rows("SELECT id FROM audit_log ORDER BY id")]


def editor_writes(server):
    """An editor's day: create, edit, publish, add a photo. Returns the article id."""
    c = server.client(login="editor")
    aid = create_article(c, "Bài viết để kiểm tra nhật ký", "Nội dung ban đầu.", action="save")
    doc, fields = edit_form(c, aid)
    fields.update(csrf=c.csrf(doc, "/quan-tri/bai-viet/%d" % aid), body="Nội dung đã sửa.", action="save")
    assert c.post("/quan-tri/bai-viet/%d" % aid, fields).status_code == 303
    token = c.csrf_from("/quan-tri/bai-viet/%d" % aid, "/xuat-ban")
    assert c.post("/quan-tri/bai-viet/%d/xuat-ban" % aid, {"csrf": token}).status_code == 303
    token = c.csrf_from("/quan-tri/bai-viet/%d" % aid, "/anh")
    r = c.post("/quan-tri/bai-viet/%d/anh" % aid, {"csrf": token, "caption": "Ảnh nhật ký"},
               files={"file": ("a.png", png_bytes(), "image/png")})
    assert r.status_code in (200, 201, 303), r.status_code
    return aid


def verify(server):
    r = phuong("audit", "verify", "--data", server.data)
    return r.returncode, r.stdout + r.stderr


def test_every_write_is_logged_and_the_chain_verifies(fresh):
    db = fresh.db
    before = len(audit_ids(db))
    editor_writes(fresh)
    after = audit_ids(db)
    assert len(after) - before >= 4, "4 writes, %d audit rows" % (len(after) - before)
    rc, out = verify(fresh)
    assert rc == 0, out
    assert "OK" in out, out


def test_admin_reads_the_log(fresh):
    editor_writes(fresh)
    admin = fresh.client(login="admin")
    r, doc = admin.page("/quan-tri/nhat-ky")
    assert r.status_code == 200
    t = text(doc)
    assert "editor" in t


def test_a_changed_row_is_found(fresh):
    editor_writes(fresh)
    db = fresh.db
    ids = audit_ids(db)
    assert len(ids) >= 3
    victim = ids[1]
    update = ("UPDATE audit_log SET after_json = COALESCE(after_json, '') || ' (sửa lén)' "
              "WHERE id = %d" % victim)
    assert db.run(update, check=False).returncode != 0, "the log took an UPDATE"
    db.drop_triggers("audit_log")  # as an attacker with the database would
    db.run(update)
    rc, out = verify(fresh)
    assert rc != 0, "tampering not found:\n" + out
    assert re.search(r"\b%d\b" % victim, out), "verify does not name row %d:\n%s" % (victim, out)


def test_a_deleted_row_is_found(fresh):
    editor_writes(fresh)
    db = fresh.db
    ids = audit_ids(db)
    assert len(ids) >= 3
    victim = ids[1]
    delete = "DELETE FROM audit_log WHERE id = %d" % victim
    assert db.run(delete, check=False).returncode != 0, "the log took a DELETE"
    db.drop_triggers("audit_log")
    db.run(delete)
    rc, out = verify(fresh)
    assert rc != 0, "deletion not found:\n" + out
    assert re.search(r"\b(%d|%d)\b" % (victim, ids[2]), out), out


def test_triggers_keep_the_log_append_only(fresh):
    db = fresh.db
    editor_writes(fresh)
    victim = audit_ids(db)[0]
    assert db.run("UPDATE audit_log SET id = id WHERE id = %d" % victim, check=False).returncode != 0
    assert db.run("DELETE FROM audit_log WHERE id = %d" % victim, check=False).returncode != 0
    if db.engine == "postgresql":
        assert db.run("TRUNCATE audit_log", check=False).returncode != 0
    assert len(audit_ids(db)) >= 4

"""The audit log: every staff write is in it, `audit verify` checks its hash chain, and
tampering (even by someone who drops the append-only triggers) is found."""
import json
import re
import subprocess

from conftest import phuong
from util import create_article, edit_form, png_bytes, text

TEXT_COLUMNS = ("after_json", "before_json", "action", "actor", "object_type", "detail",
                "details", "summary", "message", "data", "payload")


def database(data_dir):
    """The SQLite file in the data directory."""
    found = [p for p in sorted(data_dir.rglob("*")) if p.is_file()
             and p.read_bytes()[:16] == b"SQLite format 3\x00"]
    assert found, "no SQLite database in %s" % data_dir
    return found[0]


def sql(db, statement, check=True):
    r = subprocess.run(["sqlite3", "-batch", "-bail", "-json", "-cmd", ".timeout 10000",
                        str(db), statement], capture_output=True, text=True, timeout=60)
    if check:
        assert r.returncode == 0, (statement, r.stderr)
    return r


def rows(db, statement):
    out = sql(db, statement).stdout.strip()
    return json.loads(out) if out else []


def audit_table(db):
    names = [r["name"] for r in rows(db, "SELECT name FROM sqlite_master WHERE type='table' "
                                         "AND name LIKE '%audit%' ORDER BY name")]
    assert names, "no audit table"
    return names[0]


def audit_ids(db):
    return [r["r"] for r in rows(db, "SELECT rowid AS r FROM %s ORDER BY rowid" % audit_table(db))]


def drop_triggers(db, table):
    for t in rows(db, "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='%s'" % table):
        sql(db, 'DROP TRIGGER "%s"' % t["name"])


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
    db = database(fresh.data)
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
    db = database(fresh.data)
    table = audit_table(db)
    cols = {r["name"]: (r["type"] or "").upper()
            for r in rows(db, "SELECT name, type FROM pragma_table_info('%s')" % table)}
    col = next((c for c in TEXT_COLUMNS if c in cols), None) or next(
        c for c, t in cols.items() if "TEXT" in t and "hash" not in c)
    ids = audit_ids(db)
    assert len(ids) >= 3
    victim = ids[1]
    update = ("UPDATE %s SET %s = COALESCE(%s, '') || ' (sửa lén)' WHERE rowid = %d"
              % (table, col, col, victim))
    if sql(db, update, check=False).returncode != 0:
        drop_triggers(db, table)  # as an attacker with the file would
        sql(db, update)
    rc, out = verify(fresh)
    assert rc != 0, "tampering not found:\n" + out
    assert re.search(r"\b%d\b" % victim, out), "verify does not name row %d:\n%s" % (victim, out)


def test_a_deleted_row_is_found(fresh):
    editor_writes(fresh)
    db = database(fresh.data)
    table = audit_table(db)
    ids = audit_ids(db)
    assert len(ids) >= 3
    victim = ids[1]
    delete = "DELETE FROM %s WHERE rowid = %d" % (table, victim)
    if sql(db, delete, check=False).returncode != 0:
        drop_triggers(db, table)
        sql(db, delete)
    rc, out = verify(fresh)
    assert rc != 0, "deletion not found:\n" + out
    assert re.search(r"\b(%d|%d)\b" % (victim, ids[2]), out), out


def test_triggers_keep_the_log_append_only(fresh):
    db = database(fresh.data)
    table = audit_table(db)
    editor_writes(fresh)
    victim = audit_ids(db)[0]
    assert sql(db, "UPDATE %s SET rowid = rowid WHERE rowid = %d" % (table, victim), check=False).returncode != 0
    assert sql(db, "DELETE FROM %s WHERE rowid = %d" % (table, victim), check=False).returncode != 0

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


# ---- checkpoints: the head of the chain anchored outside the table ----

CHECKPOINT = re.compile(r"^PHUONG-AUDIT1\|[^|]+\|all\|(\d+)\|([0-9a-f]{64})\|(\d+)\|[A-Za-z0-9_-]+$")


def checkpoint(server, *extra):
    """`phuong audit checkpoint` (with extra flags); returns its signed line."""
    r = phuong("audit", "checkpoint", "--data", server.data, *extra)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = [l for l in r.stdout.splitlines() if CHECKPOINT.match(l)]
    assert lines, "no checkpoint line printed:\n" + r.stdout
    return lines[-1]


def saved_checkpoints(server):
    path = server.data / "audit-checkpoints"
    return path.read_text().splitlines() if path.exists() else []


def delete_tail(db, keep):
    """Deletes every audit row after id `keep`, as someone with the database would."""
    delete = "DELETE FROM audit_log WHERE id > %d" % keep
    assert db.run(delete, check=False).returncode != 0, "the log took a DELETE"
    db.drop_triggers("audit_log")
    db.run(delete)
    assert max(audit_ids(db)) == keep


def test_a_missing_tail_is_found_by_a_printed_checkpoint(fresh):
    editor_writes(fresh)
    db = fresh.db
    ids = audit_ids(db)
    r = phuong("audit", "checkpoint", "--print", "--data", fresh.data)
    assert r.returncode == 0, r.stderr
    assert str(ids[-1]) in r.stdout and "Chữ ký" in r.stdout, r.stdout  # the text for paper
    text = checkpoint(fresh)
    assert int(CHECKPOINT.match(text).group(1)) == ids[-1]
    assert CHECKPOINT.match(text).group(2) == db.value("SELECT hash FROM audit_log WHERE id = %d"
                                                       % ids[-1])
    assert text in saved_checkpoints(fresh)
    rc, out = verify(fresh)
    assert rc == 0 and "chain intact" in out, out

    delete_tail(db, ids[-3])
    rc, out = verify(fresh)
    assert rc != 0, "a missing tail passed verify:\n" + out
    assert re.search(r"\b%d\b" % ids[-1], out) and "missing" in out, out
    # Only the paper copy left: the data folder's file is gone too.
    (fresh.data / "audit-checkpoints").unlink()
    r = phuong("audit", "verify", "--checkpoint", text, "--data", fresh.data)
    assert r.returncode != 0, r.stdout
    assert re.search(r"\b%d\b" % ids[-1], r.stdout + r.stderr), r.stdout + r.stderr


def test_the_server_checkpoints_at_shutdown_and_verify_names_the_last_that_holds(fresh):
    editor_writes(fresh)
    db = fresh.db
    first = checkpoint(fresh)  # vouches for the rows so far
    create_article(fresh.client(login="editor"), "Bài viết sau điểm neo", "Nội dung mới.")
    ids = audit_ids(db)
    assert ids[-1] > int(CHECKPOINT.match(first).group(1))
    assert fresh.stop() == 0
    last = saved_checkpoints(fresh)[-1]
    assert int(CHECKPOINT.match(last).group(1)) == ids[-1], "no checkpoint of the head at shutdown"

    delete_tail(db, int(CHECKPOINT.match(first).group(1)))
    rc, out = verify(fresh)
    assert rc != 0, out
    assert re.search(r"\b%d\b" % ids[-1], out), out  # the checkpoint whose row is gone
    held = [l for l in out.splitlines() if "vouch" in l]
    assert held and re.search(r"\b%s\b" % CHECKPOINT.match(first).group(1), held[-1]), out


def test_a_forged_checkpoint_is_refused(fresh, scratch):
    editor_writes(fresh)
    text = checkpoint(fresh)
    m = CHECKPOINT.match(text)
    forged = text.replace("|%s|" % m.group(1), "|%d|" % (int(m.group(1)) + 5), 1)
    r = phuong("audit", "verify", "--checkpoint", forged, "--data", fresh.data)
    assert r.returncode != 0, r.stdout
    assert "chữ ký" in r.stdout + r.stderr, r.stdout + r.stderr
    assert phuong("audit", "verify", "--checkpoint", text, "--data", fresh.data).returncode == 0

    # Signed by another unit's key (another install whose unit has the same code).
    other = scratch / "other"
    assert phuong("init", "--data", other).returncode == 0
    r = phuong("audit", "checkpoint", "--data", other)
    foreign = [l for l in r.stdout.splitlines() if CHECKPOINT.match(l)][-1]
    r = phuong("audit", "verify", "--checkpoint", foreign, "--data", fresh.data)
    assert r.returncode != 0 and "chữ ký" in r.stdout + r.stderr, r.stdout + r.stderr

    # A forged line in the data folder's file fails verify too.
    with open(fresh.data / "audit-checkpoints", "a") as f:
        f.write(forged + "\n")
    rc, out = verify(fresh)
    assert rc != 0 and "chữ ký" in out, out
    r = phuong("audit", "verify", "--checkpoint", "PHUONG-AUDIT1|rác", "--data", fresh.data)
    assert r.returncode != 0, r.stdout

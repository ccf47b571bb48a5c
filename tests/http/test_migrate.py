"""`phuong migrate-to`: a ward that ran alone on SQLite joins its province's PostgreSQL.
Every row of every table and every stored file arrives unchanged, the portal runs on the
copy (same pages, same passwords, search, a verified audit chain), new rows get new ids,
and a second copy into a database that has data is refused without writing anything."""
import hashlib
import json
import subprocess

import pytest

from conftest import PG, ROOT, STORE, Server, phuong
from dbutil import Db
from test_dossiers import ONLINE, PDF, STEPS, add_staff, intake, login, online_form, post_step
from util import create_article, png_bytes, public_article, text

pytestmark = pytest.mark.skipif(STORE != "postgresql",
                                reason="the copy goes into PostgreSQL (tools/test --store postgresql)")


def sqlite_tables(db):
    """The tables of the SQLite database the copy must carry: not SQLite's own, not the
    FTS5 shadow tables, not schema_migrations (each database has its own)."""
    rows = db.rows("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    virtual = [r["name"] for r in rows if r["sql"].startswith("CREATE VIRTUAL TABLE")]
    return [r["name"] for r in rows
            if not r["name"].startswith("sqlite_") and r["name"] != "schema_migrations"
            and not any(r["name"].startswith(v + "_") for v in virtual)]


def table_rows(db, table):
    """Every row as a canonical string; file and attachment bytes as their SHA-256."""
    if table == "file":
        hexed = "hex(bytes)" if db.engine == "sqlite" else "upper(encode(bytes, 'hex'))"
        rows = db.rows("SELECT hash, unit_id, mime, %s AS bytes, width, height, created_at"
                       " FROM file" % hexed)
        for r in rows:
            r["bytes"] = hashlib.sha256(bytes.fromhex(r["bytes"])).hexdigest()
    elif table == "dossier_file":
        hexed = "hex(bytes)" if db.engine == "sqlite" else "upper(encode(bytes, 'hex'))"
        rows = db.rows("SELECT id, unit_id, dossier_id, name, mime, hash, size, created_at,"
                       " %s AS bytes FROM dossier_file" % hexed)
        for r in rows:
            r["bytes"] = hashlib.sha256(bytes.fromhex(r["bytes"])).hexdigest()
    elif table == "article_search":
        rows = db.rows("SELECT rowid, title, body FROM article_search")
    elif table == "procedure_search":
        rows = db.rows("SELECT rowid, name, body FROM procedure_search")
    else:
        rows = db.rows("SELECT * FROM %s" % table)
    # psql's CSV does not tell '' from NULL (dbutil reads both as None), so neither do we.
    rows = [{k: (None if v == "" else v) for k, v in r.items()} for r in rows]
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


@pytest.fixture
def ward(tmp_path):
    """A ward's SQLite data folder with the demo content and a day of an editor's work."""
    data = tmp_path / "ward"
    server = Server(data, database="sqlite:%s/phuong.db" % data)
    try:
        editor = server.client(login="editor")
        aid = create_article(editor, "Bài viết trước khi lên tỉnh", "Nội dung chuyển sang tỉnh.")
        token = editor.csrf_from("/quan-tri/bai-viet/%d" % aid, "/anh")
        r = editor.post("/quan-tri/bai-viet/%d/anh" % aid, {"csrf": token, "caption": "Ảnh chuyển"},
                        files={"file": ("a.png", png_bytes(77, 41), "image/png")})
        assert r.status_code in (200, 201, 303)
        public_article(server.client(), aid)  # a view, counted and written at shutdown
        # A dossier received at the counter, and a citizen's lookup of it.
        add_staff(server)
        _, code = intake(login(server, "canbo"))
        assert code
        assert server.client().get("/tra-cuu-ho-so?ma=%s&sdt=5678" % code).status_code == 200
        # A second one returned, and the citizen's rating of it with one criterion.
        office = {"clerk": login(server, "canbo"), "specialist": login(server, "chuyenvien"),
                  "leader": login(server, "lanhdao")}
        _, returned = intake(office["clerk"])
        for slug, role, _ in STEPS:
            assert post_step(office[role], returned, slug).status_code == 303
        citizen = server.client()
        r = citizen.post("/danh-gia-ho-so", {"csrf": citizen.csrf_from("/danh-gia-ho-so"),
                                             "ma": returned, "sdt": "5678", "overall": "3",
                                             "c4": "2", "comment": "Cán bộ tận tình."})
        assert r.status_code == 201
        citizen = server.client()
        r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, online_form(citizen),
                         files=[("tep", ("to-khai.pdf", PDF, "application/pdf"))])
        assert r.status_code == 201
        # A second online submission, marked as spam by the clerk: its record travels too.
        r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, online_form(citizen),
                         files=[("tep", ("rac.pdf", PDF, "application/pdf"))])
        assert r.status_code == 201
        spam = server.db.value("SELECT code FROM dossier ORDER BY id DESC LIMIT 1")
        clerk = office["clerk"]
        token = clerk.csrf(clerk.get("/quan-tri/ho-so/%s" % spam).content, "/thu-rac")
        assert clerk.post("/quan-tri/ho-so/%s/thu-rac" % spam,
                          {"csrf": token, "confirm": "1"}).status_code == 303
    finally:
        assert server.stop() == 0
    # The official calendar and the unit's working hours travel too.
    store = ("--data", data, "--database", "sqlite:%s/phuong.db" % data)
    calendar = ROOT / "data" / "calendar"
    for args in (("import", calendar / "holidays-vn.tsv", "--swapped",
                  calendar / "workdays-swapped-vn.tsv"),
                 ("hours", "--set", "07:00-11:00,13:30-17:30")):
        r = phuong("calendar", *args, *store)
        assert r.returncode == 0, r.stdout + r.stderr
    # So does the unit's receipt signing key.
    r = phuong("receipt", "key", *store)
    assert r.returncode == 0, r.stdout + r.stderr
    return data, aid


def test_every_row_and_file_arrives(ward, tmp_path, start_server):
    data, aid = ward
    source = Db("sqlite:%s/phuong.db" % data)
    name = "migrated_%d" % aid
    subprocess.run(["createdb", "--maintenance-db", PG + "/postgres", name], check=True)
    url = "%s/%s" % (PG, name)
    r = phuong("migrate-to", url, "--data", data, "--database", "sqlite:%s/phuong.db" % data)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "article" in r.stdout and "done" in r.stdout
    target = Db(url)

    tables = sqlite_tables(source)
    assert {"unit", "app_user", "article", "file", "audit_log", "article_search"} <= set(tables)
    for table in tables:
        want = table_rows(source, table)
        assert want or table in ("login_failure", "session", "unit_host"), table
        assert table_rows(target, table) == want, "table %s differs after the copy" % table
    files = source.rows("SELECT hash FROM file")
    assert files and all(hashlib.sha256(bytes.fromhex(target.value(
        "SELECT encode(bytes, 'hex') FROM file WHERE hash = '%s'" % f["hash"]))).hexdigest()
        == f["hash"] for f in files)

    # The portal runs on the copy: same article, same password, search, audit chain.
    server = start_server(tmp_path / "node", demo=False, users=False, database=url)
    anon = server.client()
    r, doc = public_article(anon, aid)
    assert r.status_code == 200 and "Nội dung chuyển sang tỉnh." in text(doc)
    assert "Ảnh chuyển" in text(doc)
    img = doc.xpath('//main//img/@src')
    assert img and anon.get(img[0], allow_redirects=True).status_code == 200
    r, doc = anon.page("/tim-kiem?q=truoc+khi+len+tinh")
    assert any(h.startswith("/bai-viet/%d-" % aid) for h in doc.xpath("//main//a/@href"))
    editor = server.client(login="editor")
    new_id = create_article(editor, "Bài viết đầu tiên trên tỉnh", "Mã mới không trùng.")
    assert new_id > int(source.value("SELECT max(id) FROM article"))
    assert phuong("audit", "verify", "--data", tmp_path / "node", "--database", url).returncode == 0

    # Copying again into a database that has data is refused, and writes nothing.
    before = target.value("SELECT count(*) FROM article")
    r = phuong("migrate-to", url, "--data", data, "--database", "sqlite:%s/phuong.db" % data)
    assert r.returncode != 0 and "data already" in r.stderr
    assert target.value("SELECT count(*) FROM article") == before


def test_migrate_to_refuses_what_it_cannot_do(ward, tmp_path):
    data, _ = ward
    r = phuong("migrate-to", "sqlite:/tmp/x.db", "--data", data, "--database",
               "sqlite:%s/phuong.db" % data)
    assert r.returncode == 2 and "postgresql://" in r.stderr
    r = phuong("migrate-to", PG + "/postgres", "--database", PG + "/postgres")
    assert r.returncode == 2 and "SQLite" in r.stderr

"""The command line: help, user management, backup while serving and restore."""
import pytest

from conftest import PASSWORDS, STORE, database_url, phuong
from dbutil import Db
from util import create_article, png_bytes, public_article, text

COMMANDS = [[], ["serve"], ["user"], ["user", "add"], ["backup"], ["restore"], ["audit"],
            ["audit", "verify"]]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "phuong")
def test_help(cmd):
    r = phuong(*cmd, "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip(), "--help printed nothing on stdout"
    if cmd:
        assert cmd[-1] in r.stdout


def test_unknown_command_fails():
    r = phuong("lam-gi-do")
    assert r.returncode != 0
    assert r.stderr.strip()


def test_user_add_checks_its_input(scratch):
    data = scratch / "data"
    data.mkdir()
    ok = phuong("user", "add", "can-bo", "--role", "editor", "--data", data,
                "--password-stdin", stdin="Mật khẩu đủ dài 2015\n")
    assert ok.returncode == 0, ok.stderr
    for args, pw in ((["can-bo", "--role", "editor"], "Mật khẩu khác 2015\n"),   # exists
                     (["can-bo-2", "--role", "vua"], "Mật khẩu đủ dài 2015\n"),  # no such role
                     (["can-bo-3", "--role", "editor"], "\n")):                  # empty password
        r = phuong("user", "add", *args, "--data", data, "--password-stdin", stdin=pw)
        assert r.returncode != 0, args
        assert r.stderr.strip(), args


def test_user_names_are_cleaned_and_listed_without_terminal_escapes(scratch):
    data = scratch / "data"
    data.mkdir()
    for name in ("Nguyễn\x1b[2JVăn An", "Lê\x07Văn", "Phạm \u202eiV naV", "Hồ\u2067An"):
        r = phuong("user", "add", "xau", "--role", "editor", "--name", name, "--data", data,
                   "--password-stdin", stdin="Mật khẩu đủ dài 2015\n")
        assert r.returncode == 2 and "họ tên" in r.stderr, (name, r.stderr)
    r = phuong("user", "add", "tot", "--role", "editor", "--name", "Trần\rThị Bé", "--data",
               data, "--password-stdin", stdin="Mật khẩu đủ dài 2015\n")
    assert r.returncode == 0, r.stderr
    # A name stored before names were cleaned is listed with its controls escaped.
    db = Db(database_url(data))
    char = "char" if STORE == "sqlite" else "chr"
    db.run("UPDATE app_user SET display_name = 'Cũ' || %s(27) || '[31m' || %s(8238) || 'x'"
           " WHERE username = 'tot'" % (char, char))
    out = phuong("user", "list", "--data", data).stdout
    assert "\x1b" not in out and "\u202e" not in out and "\\x1B[31m" in out, out
    r = phuong("user", "add", "trang", "--role", "editor", "--name", "Trần Thị Bé", "--data", data)
    assert r.returncode == 0 and "Trần Thị Bé" in phuong("user", "list", "--data", data).stdout


def test_a_generated_password_is_one_time(fresh):
    r = phuong("user", "add", "mot-lan", "--role", "editor", "--data", fresh.data)
    assert r.returncode == 0, r.stderr
    password = r.stdout.strip().rsplit(" ", 1)[-1]
    c = fresh.client()
    assert c.login("mot-lan", password).status_code == 303
    r = c.get("/quan-tri/bai-viet")
    assert r.status_code == 303 and r.headers["Location"].endswith("/quan-tri/mat-khau")


@pytest.mark.skipif(STORE != "sqlite", reason="phuong backup copies the SQLite file; "
                    "PostgreSQL is backed up with pg_dump (test_backup_on_postgresql_points_to_pg_dump)")
def test_backup_while_serving_then_restore(fresh, scratch, start_server):
    editor = fresh.client(login="editor")
    title = "Bài viết trước khi sao lưu"
    aid = create_article(editor, title, "Nội dung cần giữ lại sau khi khôi phục.")
    token = editor.csrf_from("/quan-tri/bai-viet/%d" % aid, "/anh")
    r = editor.post("/quan-tri/bai-viet/%d/anh" % aid, {"csrf": token, "caption": "Ảnh được sao lưu"},
                    files={"file": ("a.png", png_bytes(), "image/png")})
    assert r.status_code in (200, 201, 303)

    backup = scratch / "phuong-backup.db"
    r = phuong("backup", backup, "--data", fresh.data)
    assert r.returncode == 0, r.stderr
    assert backup.is_file() and backup.stat().st_size > 0
    assert fresh.client().get("/robots.txt").status_code == 200  # still serving

    restored = scratch / "restored"
    restored.mkdir()
    r = phuong("restore", backup, "--data", restored)
    assert r.returncode == 0, r.stderr

    server = start_server(restored, demo=False, users=False)
    anon = server.client()
    r, doc = public_article(anon, aid)
    assert r.status_code == 200
    t = text(doc)
    assert title in t and "Nội dung cần giữ lại" in t and "Ảnh được sao lưu" in t
    src = doc.xpath('//*[@id="noi-dung"]//img/@src') or doc.xpath("//main//img/@src")
    assert src and anon.get(src[0], allow_redirects=True).status_code == 200
    assert server.client().login("editor", PASSWORDS["editor"]).status_code == 303
    assert phuong("audit", "verify", "--data", restored).returncode == 0


@pytest.mark.skipif(STORE != "postgresql", reason="only PostgreSQL defers to pg_dump")
def test_backup_on_postgresql_points_to_pg_dump(demo, scratch):
    r = phuong("backup", scratch / "x.db", "--data", demo.data, "--database", demo.database)
    assert r.returncode != 0
    assert "pg_dump" in r.stderr, r.stderr
    assert not (scratch / "x.db").exists()


@pytest.mark.skipif(STORE != "sqlite", reason="restore and migrate-to read or replace the "
                    "SQLite file of the data folder")
def test_restore_into_a_served_data_folder_is_refused(fresh, scratch):
    editor = fresh.client(login="editor")
    backup = scratch / "phuong-backup.db"
    assert phuong("backup", backup, "--data", fresh.data).returncode == 0
    title = "Bài viết sau khi sao lưu"
    aid = create_article(editor, title, "Không được mất khi ai đó khôi phục nhầm.")
    count = "SELECT count(*) FROM article WHERE title = '%s'" % title
    assert int(fresh.db.value(count)) == 1

    r = phuong("restore", backup, "--data", fresh.data)
    assert r.returncode != 0, "restore into a served data folder was accepted:\n" + r.stdout
    assert "đang chạy" in r.stderr and "phuong.lock" in r.stderr, r.stderr
    assert int(fresh.db.value(count)) == 1, "the refused restore changed the database"
    assert fresh.client().get("/bai-viet/%d" % aid, allow_redirects=True).status_code == 200
    r = phuong("migrate-to", "postgresql://nobody@127.0.0.1:1/none", "--data", fresh.data)
    assert r.returncode != 0 and "đang chạy" in r.stderr, r.stderr

    assert fresh.stop() == 0
    r = phuong("restore", backup, "--data", fresh.data)
    assert r.returncode == 0, r.stderr
    assert int(fresh.db.value(count)) == 0, "the restore did not put the backup in place"

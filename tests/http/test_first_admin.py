"""The first admin account of a new database: its password is printed once and must be
replaced at the first sign-in before anything else opens."""
import re

from conftest import Client, phuong


def test_printed_password_is_one_time(scratch, start_server):
    data = scratch / "data"
    r = phuong("init", "--data", data)
    assert r.returncode == 0, r.stderr
    m = re.search(r"initial password: (\S+)", r.stdout)
    assert m, r.stdout
    printed = m.group(1)
    # A second init prints nothing new: the account exists.
    again = phuong("init", "--data", data)
    assert again.returncode == 0 and "initial password" not in again.stdout

    server = start_server(data, demo=False, users=False)
    c = Client(server)
    r, doc = c.page("/quan-tri/dang-nhap")
    r = c.post("/quan-tri/dang-nhap", {"csrf": c.csrf(doc), "username": "admin",
                                        "password": printed, "next": "/quan-tri"})
    assert r.status_code == 303
    # Every staff page leads to the password form; JSON and POSTs are refused.
    r = c.get("/quan-tri/bai-viet")
    assert r.status_code == 303 and r.headers["Location"].endswith("/quan-tri/mat-khau")
    r, doc = c.page("/quan-tri/mat-khau")
    assert r.status_code == 200
    token = c.csrf(doc, "/quan-tri/mat-khau")
    r = c.post("/quan-tri/chuyen-muc", {"csrf": token, "name": "Thử"})
    assert r.status_code == 403

    # Wrong current password, then two different new ones: 422, nothing changes.
    r = c.post("/quan-tri/mat-khau", {"csrf": token, "current_password": "sai mật khẩu",
                                       "password": "mật khẩu mới rất dài",
                                       "password_again": "mật khẩu mới rất dài"})
    assert r.status_code == 422
    r = c.post("/quan-tri/mat-khau", {"csrf": token, "current_password": printed,
                                       "password": "mật khẩu mới rất dài",
                                       "password_again": "khác hẳn mật khẩu kia"})
    assert r.status_code == 422
    r = c.post("/quan-tri/mat-khau", {"csrf": token, "current_password": printed,
                                       "password": "mật khẩu mới rất dài",
                                       "password_again": "mật khẩu mới rất dài"})
    assert r.status_code == 303
    assert c.get("/quan-tri/bai-viet").status_code == 200

    # The printed password no longer opens anything; the new one does.
    other = Client(server)
    r, doc = other.page("/quan-tri/dang-nhap")
    r = other.post("/quan-tri/dang-nhap", {"csrf": other.csrf(doc), "username": "admin",
                                            "password": printed})
    assert r.status_code == 401
    r = other.post("/quan-tri/dang-nhap", {"csrf": other.csrf(doc), "username": "admin",
                                            "password": "mật khẩu mới rất dài"})
    assert r.status_code == 303
    assert phuong("audit", "verify", "--data", data).returncode == 0

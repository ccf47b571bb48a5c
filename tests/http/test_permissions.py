"""Roles: an editor writes articles but can't manage users or categories; anonymous
visitors can't post anything; the admin can do both."""
import pytest

from util import (SAMPLE_TITLE, category_options, find_article, is_vietnamese, local_time,
                  path_of, png_bytes, text)

NEW_USER = {"username": "bien-tap-2", "password": "Mật khẩu mới 2015 #9", "role": "editor",
            "display_name": "Nguyễn Văn Bình"}


@pytest.fixture(scope="module")
def editor(module_server):
    return module_server.client(login="editor")


@pytest.fixture(scope="module")
def admin(module_server):
    return module_server.client(login="admin")


@pytest.mark.parametrize("path", ["/quan-tri/nguoi-dung", "/quan-tri/chuyen-muc", "/quan-tri/nhat-ky"])
def test_editor_cannot_see_admin_pages(editor, path):
    r = editor.get(path)
    assert r.status_code == 403, (path, r.status_code)
    assert is_vietnamese(text(r.content))


def test_editor_cannot_add_a_user(module_server, editor, admin):
    token = editor.csrf_from("/quan-tri/bai-viet/moi")
    r = editor.post("/quan-tri/nguoi-dung", dict(NEW_USER, csrf=token, role="admin"))
    assert r.status_code == 403, r.status_code
    assert "bien-tap-2" not in text(admin.page("/quan-tri/nguoi-dung")[1])
    assert module_server.client().login("bien-tap-2", NEW_USER["password"]).status_code != 303


def test_editor_cannot_add_a_category(editor, admin):
    token = editor.csrf_from("/quan-tri/bai-viet/moi")
    r = editor.post("/quan-tri/chuyen-muc", {"csrf": token, "name": "Chuyên mục của biên tập viên"})
    assert r.status_code == 403, r.status_code
    assert "Chuyên mục của biên tập viên" not in text(admin.page("/quan-tri/chuyen-muc")[1])


def test_editor_can_open_the_article_pages(editor):
    for path in ("/quan-tri", "/quan-tri/bai-viet", "/quan-tri/bai-viet/moi"):
        assert editor.get(path).status_code == 200, path


def test_admin_adds_a_category(admin):
    token = admin.csrf_from("/quan-tri/chuyen-muc")
    r = admin.post("/quan-tri/chuyen-muc", {"csrf": token, "name": "Văn hóa - Xã hội mới"})
    assert r.status_code == 303, r.status_code
    assert "Văn hóa - Xã hội mới" in text(admin.page("/quan-tri/chuyen-muc")[1])
    r, doc = admin.page("/quan-tri/bai-viet/moi")
    assert "Văn hóa - Xã hội mới" in [n for _, n in category_options(doc)]


def test_admin_adds_an_editor_who_can_log_in(module_server, admin):
    token = admin.csrf_from("/quan-tri/nguoi-dung")
    r = admin.post("/quan-tri/nguoi-dung", dict(NEW_USER, csrf=token))
    assert r.status_code == 303, r.status_code
    assert "bien-tap-2" in text(admin.page("/quan-tri/nguoi-dung")[1])
    c = module_server.client()
    assert c.login("bien-tap-2", NEW_USER["password"]).status_code == 303
    # The password the admin typed is one-time: the account must replace it first.
    r = c.get("/quan-tri/bai-viet")
    assert r.status_code == 303 and path_of(r.headers["Location"]) == "/quan-tri/mat-khau"
    r = c.set_own_password(NEW_USER["password"], NEW_USER["password"])
    assert r.status_code == 422 and "khác" in text(r.content)  # the same is no change
    assert c.set_own_password(NEW_USER["password"], "Mật khẩu của tôi 2016 #1").status_code == 303
    assert c.get("/quan-tri/bai-viet").status_code == 200
    assert c.get("/quan-tri/nguoi-dung").status_code == 403  # an editor, not an admin
    assert module_server.client().login("bien-tap-2", NEW_USER["password"]).status_code == 401


def test_admin_user_form_rejects_bad_input(admin):
    token = admin.csrf_from("/quan-tri/nguoi-dung")
    for bad in ({"username": ""}, {"role": "sieu-quan-tri"}, {"password": "ngan"},
                {"username": "admin"}):  # exists already
        fields = dict(NEW_USER, username="bien-tap-3", csrf=token)
        fields.update(bad)
        r = admin.post("/quan-tri/nguoi-dung", fields)
        assert r.status_code == 422, (bad, r.status_code)
        assert is_vietnamese(text(r.content))


@pytest.mark.parametrize("name", ["Nguyễn \x1b[2J\x1b[HVăn An", "Lê\x07Văn",
                                  "Phạm \u202eiV naV", "Đỗ \u2066An\u2069", "Hồ\x9bAn",
                                  "Tên dài " * 20])
def test_a_display_name_with_controls_or_bidi_overrides_is_refused(module_server, admin, name):
    token = admin.csrf_from("/quan-tri/nguoi-dung")
    r = admin.post("/quan-tri/nguoi-dung", dict(NEW_USER, username="ten-xau", display_name=name,
                                                csrf=token))
    assert r.status_code == 422 and "Họ tên" in text(r.content), r.status_code
    assert int(module_server.db.value(
        "SELECT count(*) FROM app_user WHERE username = 'ten-xau'")) == 0


def test_a_lone_cr_in_a_display_name_becomes_a_space(module_server, admin):
    token = admin.csrf_from("/quan-tri/nguoi-dung")
    r = admin.post("/quan-tri/nguoi-dung", dict(NEW_USER, username="ten-cr", csrf=token,
                                                display_name="Trần\rThị\r\nBé"))
    assert r.status_code == 303, r.status_code
    assert module_server.db.value("SELECT display_name FROM app_user WHERE username = 'ten-cr'"
                                  ) == "Trần Thị  Bé"


def anonymous_posts(aid):
    article = {"title": "Bài của khách lạ", "category_id": "1", "author": "Khách",
               "published_at": local_time(), "body": "Không được phép", "action": "publish"}
    return [
        ("/quan-tri/bai-viet", article, None),
        ("/quan-tri/bai-viet/%d" % aid, dict(article, action="save"), None),
        ("/quan-tri/bai-viet/%d/xem-truoc" % aid, article, None),
        ("/quan-tri/bai-viet/%d/xuat-ban" % aid, {}, None),
        ("/quan-tri/bai-viet/%d/go-xuong" % aid, {}, None),
        ("/quan-tri/bai-viet/%d/phien-ban/1/khoi-phuc" % aid, {}, None),
        ("/quan-tri/bai-viet/%d/anh" % aid, {"caption": "Ảnh khách lạ"},
         {"file": ("a.png", png_bytes(), "image/png")}),
        ("/quan-tri/chuyen-muc", {"name": "Chuyên mục khách lạ"}, None),
        ("/quan-tri/nguoi-dung", dict(NEW_USER, username="khach-la", display_name="Khách lạ"), None),
    ]


def test_anonymous_cannot_post_anything(module_server, admin):
    anon = module_server.client()
    aid, path = find_article(anon, SAMPLE_TITLE)
    token = anon.csrf_from("/quan-tri/dang-nhap")  # a valid token of the anonymous session
    for url, data, files in anonymous_posts(aid):
        r = anon.post(url, dict(data, csrf=token), files=files)
        if r.status_code in (302, 303):
            assert path_of(r.headers["Location"]).startswith("/quan-tri/dang-nhap"), (url, r.headers["Location"])
        else:
            assert r.status_code in (401, 403), (url, r.status_code)
    assert anon.get(path).status_code == 200  # not unpublished
    assert "Bài của khách lạ" not in text(admin.page("/quan-tri/bai-viet")[1])
    assert "Chuyên mục khách lạ" not in text(admin.page("/quan-tri/chuyen-muc")[1])
    assert "khach-la" not in text(admin.page("/quan-tri/nguoi-dung")[1])
    assert "Ảnh khách lạ" not in text(anon.page(path)[1])


def test_editor_menu_shows_only_what_an_editor_may_open(module_server):
    editor = module_server.client(login="editor")
    r, doc = editor.page("/quan-tri")
    hrefs = {a.get("href") for a in doc.xpath("//nav[contains(@class,'admin-nav')]//a")}
    assert "/quan-tri/bai-viet" in hrefs
    assert not hrefs & {"/quan-tri/chuyen-muc", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky"}, hrefs
    admin = module_server.client(login="admin")
    r, doc = admin.page("/quan-tri")
    hrefs = {a.get("href") for a in doc.xpath("//nav[contains(@class,'admin-nav')]//a")}
    assert {"/quan-tri/chuyen-muc", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky"} <= hrefs, hrefs

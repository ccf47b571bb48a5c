"""Every state-changing POST needs the session's CSRF token: none or a wrong one -> 403,
and nothing changes."""
import pytest

from util import (SAMPLE_TITLE, find_article, is_vietnamese, local_time, png_bytes, squash,
                  text)


def routes(aid):
    """(path, form fields without csrf, files) of every POST route."""
    article = {"title": "Bài giả mạo CSRF", "category_id": "1", "author": "Kẻ gian",
               "published_at": local_time(), "body": "Giả mạo", "action": "publish"}
    return {
        "dang-xuat": ("/quan-tri/dang-xuat", {}, None),
        "bai-viet": ("/quan-tri/bai-viet", article, None),
        "sua": ("/quan-tri/bai-viet/%d" % aid, dict(article, action="save"), None),
        "xem-truoc": ("/quan-tri/bai-viet/%d/xem-truoc" % aid, article, None),
        "xuat-ban": ("/quan-tri/bai-viet/%d/xuat-ban" % aid, {}, None),
        "go-xuong": ("/quan-tri/bai-viet/%d/go-xuong" % aid, {}, None),
        "khoi-phuc": ("/quan-tri/bai-viet/%d/phien-ban/1/khoi-phuc" % aid, {}, None),
        "anh": ("/quan-tri/bai-viet/%d/anh" % aid, {"caption": "Ảnh giả mạo"},
                {"file": ("gia.png", png_bytes(), "image/png")}),
        "chuyen-muc": ("/quan-tri/chuyen-muc", {"name": "Chuyên mục giả mạo"}, None),
        "nguoi-dung": ("/quan-tri/nguoi-dung", {"username": "ke-gian", "password": "Mật khẩu dài 123",
                                                "role": "admin", "display_name": "Kẻ gian"}, None),
    }


ROUTE_NAMES = list(routes(1))


@pytest.fixture(scope="module")
def ctx(module_server):
    admin = module_server.client(login="admin")
    aid, path = find_article(admin, SAMPLE_TITLE)
    editor = module_server.client(login="editor")
    foreign = editor.csrf_from("/quan-tri/bai-viet/moi")
    own = admin.csrf_from("/quan-tri/bai-viet/moi")
    return {"server": module_server, "admin": admin, "aid": aid, "path": path,
            "foreign": foreign, "own": own}


def post(client, route, token):
    path, data, files = route
    data = dict(data)
    if token is not None:
        data["csrf"] = token
    return client.post(path, data=data, files=files)


def altered(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize("name", ROUTE_NAMES)
@pytest.mark.parametrize("kind", ["missing", "empty", "garbage", "altered", "other-session"])
def test_post_without_the_right_token_is_403(ctx, name, kind):
    token = {"missing": None, "empty": "", "garbage": "x" * 10, "altered": altered(ctx["own"]),
             "other-session": ctx["foreign"]}[kind]
    if kind == "other-session":
        assert token != ctx["own"], "two sessions share a CSRF token"
    r = post(ctx["admin"], routes(ctx["aid"])[name], token)
    assert r.status_code == 403, (name, kind, r.status_code)
    assert is_vietnamese(text(r.content))


def test_login_form_needs_its_token(module_server):
    c = module_server.client()
    c.get("/quan-tri/dang-nhap")
    for token in (None, "sai"):
        data = {"username": "admin", "password": "x"}
        if token is not None:
            data["csrf"] = token
        assert c.post("/quan-tri/dang-nhap", data).status_code == 403


def test_nothing_changed(ctx):
    server, admin, path = ctx["server"], ctx["admin"], ctx["path"]
    # still logged in (the logout was refused), the sample still public and unchanged
    r, doc = admin.page("/quan-tri")
    assert r.status_code == 200 and not doc.xpath('//input[@name="password"]')
    anon = server.client()
    r, doc = anon.page(path)
    assert r.status_code == 200
    assert squash(doc.xpath("//h1")[0].text_content()) == SAMPLE_TITLE
    assert "Ảnh giả mạo" not in text(doc)
    assert "Chuyên mục giả mạo" not in text(admin.page("/quan-tri/chuyen-muc")[1])
    assert "ke-gian" not in text(admin.page("/quan-tri/nguoi-dung")[1])
    assert "Bài giả mạo CSRF" not in text(admin.page("/quan-tri/bai-viet")[1])
    assert server.client().login("ke-gian", "Mật khẩu dài 123").status_code != 303


def test_the_right_token_works(ctx):
    # control: the same session with its own token can post (preview changes nothing)
    admin, aid = ctx["admin"], ctx["aid"]
    token = admin.csrf_from("/quan-tri/bai-viet/%d" % aid, "/xem-truoc")
    r = post(admin, routes(aid)["xem-truoc"], token)
    assert r.status_code == 200, r.status_code

"""Two phuong nodes on one PostgreSQL database, as a province runs them behind nginx: a
write through one node is seen on the very next request to the other; sessions, sign-out,
passwords and the login throttle are shared; view counts from both nodes add up."""
import time

import pytest

from conftest import PASSWORDS, STORE, Client
from util import create_article, edit_form, public_article, text, views

pytestmark = pytest.mark.skipif(STORE != "postgresql",
                                reason="several nodes need the PostgreSQL store")


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """Node A (which made the database, with the demo content) and node B on the same
    database, each with a data folder of its own."""
    from conftest import Server
    a = Server(tmp_path_factory.mktemp("node_a") / "data")
    b = Server(tmp_path_factory.mktemp("node_b") / "data", demo=False, users=False,
               database=a.database)
    try:
        yield a, b
    finally:
        b.check_stopped_cleanly()
        a.check_stopped_cleanly()


def test_an_article_published_on_one_node_is_on_the_other_at_once(nodes):
    a, b = nodes
    editor = a.client(login="editor")
    title = "Bài đăng qua nút A, đọc qua nút B"
    for _ in range(2):  # B keeps its home page rendered
        r = b.client().get("/")
    assert r.headers.get("X-Cache") == "HIT"
    aid = create_article(editor, title, "Nội dung viết ở nút A.")
    r, doc = b.client().page("/")
    assert r.headers.get("X-Cache") == "MISS"
    assert title in text(doc)
    r, doc = public_article(b.client(), aid)
    assert r.status_code == 200 and "Nội dung viết ở nút A." in text(doc)
    r, doc = b.client().page("/tim-kiem?q=nut+a+doc+qua+nut+b")
    assert any(h.startswith("/bai-viet/%d-" % aid) for h in doc.xpath("//main//a/@href"))

    # An edit through B shows on A's next request, then taking it down through A hides it on B.
    editor_b = Client(b)
    editor_b.s.cookies.update(editor.s.cookies)  # the same browser, the other node
    doc, fields = edit_form(editor_b, aid)
    fields.update(csrf=editor_b.csrf(doc, "/quan-tri/bai-viet/%d" % aid), body="Đã sửa ở nút B.",
                  action="publish")
    assert editor_b.post("/quan-tri/bai-viet/%d" % aid, fields).status_code == 303
    r, doc = public_article(a.client(), aid)
    assert "Đã sửa ở nút B." in text(doc)
    token = editor.csrf_from("/quan-tri/bai-viet/%d" % aid, "/go-xuong")
    assert editor.post("/quan-tri/bai-viet/%d/go-xuong" % aid, {"csrf": token}).status_code == 303
    assert b.client().get("/bai-viet/%d" % aid, allow_redirects=True).status_code == 404


def test_sessions_and_sign_out_are_shared(nodes):
    a, b = nodes
    on_a = a.client(login="admin")
    on_b = Client(b)
    on_b.s.cookies.update(on_a.s.cookies)
    assert on_b.get("/quan-tri/nguoi-dung").status_code == 200
    # Signing out on B ends the session on A too.
    r, doc = on_b.page("/quan-tri")
    assert on_b.post("/quan-tri/dang-xuat", {"csrf": on_b.csrf(doc, "/quan-tri/dang-xuat")}
                     ).status_code == 303
    assert on_a.get("/quan-tri/nguoi-dung").status_code == 303


def test_a_password_changed_on_one_node_is_the_password_on_the_other(nodes):
    a, b = nodes
    on_a = a.client(login="editor")
    new = "Mật khẩu mới đổi ở nút A 2026"
    token = on_a.csrf_from("/quan-tri/mat-khau", "/quan-tri/mat-khau")
    r = on_a.post("/quan-tri/mat-khau", {"csrf": token, "current_password": PASSWORDS["editor"],
                                          "password": new, "password_again": new})
    assert r.status_code == 303
    assert Client(b).login("editor", PASSWORDS["editor"]).status_code == 401
    assert Client(b).login("editor", new).status_code == 303
    # Put it back for the other tests.
    token = on_a.csrf_from("/quan-tri/mat-khau", "/quan-tri/mat-khau")
    assert on_a.post("/quan-tri/mat-khau", {"csrf": token, "current_password": new,
                                             "password": PASSWORDS["editor"],
                                             "password_again": PASSWORDS["editor"]}
                     ).status_code == 303


def test_the_login_throttle_counts_failures_on_every_node(nodes):
    a, b = nodes
    for node in (a, b, a, b, a):
        assert Client(node).login("admin", "sai mật khẩu %d" % node.port).status_code == 401
    # The sixth try, on either node, is refused even with the right password.
    assert Client(b).login("admin").status_code == 429


def test_views_counted_on_both_nodes_add_up(nodes):
    a, b = nodes
    editor = a.client(login="editor")
    aid = create_article(editor, "Bài đếm lượt xem trên hai nút", "Đếm lượt xem.")
    for node in (a, b, a, b):
        assert public_article(node.client(), aid)[0].status_code == 200
    # Counts are written in batches every 2 s; the page shows the count before this view.
    deadline = time.monotonic() + 10
    while True:
        r, doc = public_article(a.client(), aid)
        if views(doc) >= 4 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert views(doc) >= 4

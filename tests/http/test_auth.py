"""Staff login: sessions, wrong passwords, throttling, logout, cookies, guarded pages."""
import pytest

from conftest import PASSWORDS
from util import check_html, form_with, is_vietnamese, path_of, squash, text

ADMIN_PAGES = ["/quan-tri", "/quan-tri/bai-viet", "/quan-tri/bai-viet/moi",
               "/quan-tri/chuyen-muc", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky"]


def set_cookies(resp):
    return resp.raw.headers.getlist("Set-Cookie")


def is_login_redirect_or_denied(r):
    if r.status_code in (302, 303):
        return path_of(r.headers.get("Location", "")).startswith("/quan-tri/dang-nhap")
    return r.status_code in (401, 403)


def test_login_page(anon):
    r, doc = anon.page("/quan-tri/dang-nhap")
    check_html(r)
    form = form_with(doc, "password")
    assert (form.get("method") or "").lower() == "post"
    assert form.xpath('.//input[@name="username"]') and form.xpath('.//input[@name="csrf"]')
    assert form.xpath('.//input[@name="password"][@type="password"]')


def test_login_ok(fresh):
    c = fresh.client()
    r = c.login("admin")
    assert r.status_code == 303, (r.status_code, squash(r.text)[:300])
    assert path_of(r.headers["Location"]).startswith("/quan-tri")
    r, doc = c.page("/quan-tri")
    assert r.status_code == 200 and r.url.endswith("/quan-tri")
    assert not doc.xpath('//input[@name="password"]'), "still the login form"


@pytest.mark.parametrize("user,pw", [("admin", "sai mật khẩu"), ("khong-co-ai", "sai mật khẩu"),
                                     ("admin", ""), ("", "")])
def test_bad_login_shows_the_form_again(fresh, user, pw):
    c = fresh.client()
    r = c.login(user, pw)
    assert 400 <= r.status_code < 500 and r.status_code != 429, r.status_code
    doc = check_html(r)
    assert form_with(doc, "password") is not None
    t = text(doc)
    assert is_vietnamese(t)
    if pw:
        assert pw not in r.text, "the password is echoed back"
    assert is_login_redirect_or_denied(c.get("/quan-tri"))


def test_unknown_user_and_wrong_password_look_alike(fresh):
    c = fresh.client()
    a = c.login("admin", "sai mật khẩu")
    b = c.login("khong-co-ai", "sai mật khẩu")
    assert a.status_code == b.status_code

    def message(r):
        doc = check_html(r)
        for el in doc.xpath('//*[@role="alert"] | //*[contains(@class, "loi")] | //*[contains(@class, "error")]'):
            return squash(el.text_content())
        return None
    assert message(a) == message(b)


def test_six_failed_logins_are_throttled(fresh):
    c = fresh.client()
    statuses = [c.login("editor", "sai mật khẩu %d" % i).status_code for i in range(7)]
    assert statuses[0] != 429 and 429 in statuses, statuses
    first = statuses.index(429)
    assert 3 <= first <= 6, statuses
    r = c.login("editor")  # the right password, while throttled
    assert r.status_code == 429
    assert is_vietnamese(text(r.content))


def test_logout(fresh):
    c = fresh.client(login="admin")
    old = dict(c.s.cookies)
    r = c.logout()
    assert r.status_code == 303, r.status_code
    assert is_login_redirect_or_denied(c.get("/quan-tri"))
    # the old session cookie is dead on the server, not just forgotten by the client
    replay = fresh.client()
    for k, v in old.items():
        replay.s.cookies.set(k, v)
    assert is_login_redirect_or_denied(replay.get("/quan-tri"))


def test_session_cookie_flags(fresh):
    c = fresh.client()
    r = c.login("editor")
    assert r.status_code == 303
    cookies = set_cookies(r)
    assert cookies, "login set no cookie"
    for raw in cookies:
        attrs = [a.strip().lower() for a in raw.split(";")]
        assert "httponly" in attrs, raw
        assert "samesite=lax" in attrs or "samesite=strict" in attrs, raw
        assert "path=/" in attrs, raw


def test_session_id_changes_at_login(fresh):
    c = fresh.client()
    c.get("/quan-tri/dang-nhap")
    before = set(c.s.cookies.values())
    assert c.login("editor").status_code == 303
    after = set(c.s.cookies.values())
    assert after - before, "no new session cookie at login (session fixation)"


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_need_a_login(anon, path):
    r = anon.get(path)
    assert is_login_redirect_or_denied(r), (path, r.status_code, r.headers.get("Location"))


def test_login_with_a_password_from_stdin(fresh):
    # the passwords given to `user add --password-stdin` work, with their diacritics
    for user in ("admin", "editor"):
        assert fresh.client().login(user, PASSWORDS[user]).status_code == 303

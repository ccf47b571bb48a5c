"""Public models carry no staff account (issue 9, item 8): every page of a public route
(permission PERM_PUBLIC in `phuong routes`), walked from the home page and the lookups after
staff have edited a procedure, written an article and taken a dossier through its flow, is
read as JSON and fails the test when a staff username or a staff id field appears in it."""
import re
import subprocess
from urllib.parse import urlsplit

from conftest import BIN
from test_dossiers import PHONE, STEPS, intake, office, post_step  # noqa: F401 (fixture)
from test_procedures import edit_fields
from util import create_article, parse

PAGES_MAX = 400
# Public routes whose answers are not JSON models (files, the robots line, redirects,
# the load balancer's probe).
NOT_MODELS = ("/tep/{}", "/static/{}", "/robots.txt", "/ngon-ngu/{}", "/luu-tru", "/healthz")
STAFF_ID_KEY = re.compile(r"(_by|user_id|actor|actor_id|staff)$")


def public_get_routes():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=True).stdout
    return [line.split("\t")[1] for line in out.splitlines()
            if line.startswith("GET\t") and line.split("\t")[2] == "public"]


def route_regex(pattern):
    return re.compile("^" + re.escape(pattern).replace(r"\{\}", "[^/]+") + r"(\.json)?$")


def strings_and_keys(value, keys, strings):
    if isinstance(value, dict):
        for k, v in value.items():
            keys.append(k)
            strings_and_keys(v, keys, strings)
    elif isinstance(value, list):
        for v in value:
            strings_and_keys(v, keys, strings)
    elif isinstance(value, str):
        strings.append(value)


def named(path, strings, usernames):
    """(path, username, text) for each string naming a staff account as a word."""
    return [(path, name, v[:80]) for v in strings for name in usernames
            if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(name), v)]


def test_no_public_json_page_names_a_staff_account(office):
    s = office["server"]
    usernames = [u for u in s.db.rows("SELECT username FROM app_user")]
    usernames = [u["username"] for u in usernames]
    assert "canbo" in usernames
    # Staff leave their names on what the public reads: a procedure version, an article,
    # a dossier's steps.
    admin = s.client(login="admin")
    fields = edit_fields(admin, "dang-ky-khai-sinh")
    fields["note"] = "Sửa bởi cán bộ trong bài kiểm tra."
    assert admin.post("/quan-tri/thu-tuc/dang-ky-khai-sinh", fields).status_code == 303
    create_article(s.client(login="editor"), "Tin của ban biên tập", "Nội dung **bài**.")
    _, code = intake(office["clerk"])
    for slug, role, _ in STEPS:
        assert post_step(office[role], code, slug).status_code == 303
    s.db.run("DELETE FROM dossier_lookup")
    last4 = PHONE.replace(" ", "")[-4:]

    visitor = s.client()
    todo = ["/", "/thu-tuc/dang-ky-khai-sinh", "/tra-cuu-ho-so?ma=%s&sdt=%s" % (code, last4),
            "/danh-gia-ho-so?ma=%s&sdt=%s" % (code, last4), "/kiem-tra-bien-nhan",
            "/cam-ket-phuc-vu", "/tim-kiem?q=tin", "/index", "/luu-tru/2015-12",
            "/luu-tru/2015-12-10", "/quan-tri/dang-nhap"]
    seen, found = set(), []
    while todo and len(seen) < PAGES_MAX:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = visitor.get(path)
        if page.status_code != 200:
            continue
        if "text/html" not in page.headers.get("Content-Type", ""):
            found.extend(named(path, [page.text], usernames))  # feeds, sitemap
            continue
        for href in parse(page.content).xpath("//a/@href"):
            u = urlsplit(href)
            if u.netloc or not u.path.startswith("/") or u.path.startswith(
                    ("/quan-tri", "/static/", "/tep/", "/ngon-ngu/")):
                continue
            todo.append(u.path + ("?" + u.query if u.query else ""))
        r = visitor.get(path, headers={"Accept": "application/json"})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(
            "application/json"), (path, r.status_code)
        keys, strings = [], []
        strings_and_keys(r.json(), keys, strings)
        for k in keys:
            if STAFF_ID_KEY.search(k):
                found.append((path, "key", k))
        found.extend(named(path, strings, usernames))
    assert not found, found[:20]
    # Every public page route was walked, so a new one is covered without a new test.
    walked = [urlsplit(p).path for p in seen]
    missed = [p for p in public_get_routes() if p not in NOT_MODELS
              and not any(route_regex(p).match(w) for w in walked)]
    assert not missed, missed

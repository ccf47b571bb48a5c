"""Routes × roles: every route of `phuong routes` is requested by a visitor, each role of
a unit, a signed-in member of another unit, and the province roles, with its path
parameters filled with unit 1's real ids (routewalk.world); each must be let in or turned
away as ROLE_PERMISSIONS (the table of src/auth/auth.c) says for the route's permission.
A new route is walked without a test of its own; routes.txt pins each route's
permission, so a change to one fails here until the table is updated on purpose."""
from pathlib import Path

import pytest

from conftest import Client
from routewalk import (HOST_B, PASSWORDS, ROLE_PERMISSIONS, fill, login, routes, signed_in,
                       world)
from util import path_of, squash

# Who walks: a role name (None: a visitor; "other_unit": unit 2's admin, whose session
# must open nothing on unit 1's host) and the account that plays it.
WALKERS = {"anonymous": None, "admin": "admin", "editor": "editor", "clerk": "canbo",
           "specialist": "chuyenvien", "leader": "lanhdao", "province_admin": "tinh",
           "province_viewer": "theodoi", "other_unit": "quantri-b"}
PINNED = Path(__file__).with_name("routes.txt")
DOSSIER_ROLES = {r for r, p in ROLE_PERMISSIONS.items()
                 if p & {"dossier_intake", "dossier_process", "dossier_sign"}}
# Rules the handlers add to a route's permission, by path prefix: the roles (None: a
# visitor) a handler lets in among those the permission lets through; the others get 403.
HANDLER_RULES = {  # the first prefix that matches decides
    "/quan-tri/ho-so/{}/truy-cap": {"leader", "admin"},  # who read a dossier: not its readers
    "/quan-tri/ho-so": DOSSIER_ROLES,     # the one-stop shop's own staff only
    "/quan-tri/danh-gia": DOSSIER_ROLES,
    "/danh-gia-ho-so": {None},            # a clerk must not rate on a citizen's behalf
}


def allowed(role, permission):
    return permission == "public" or permission in ROLE_PERMISSIONS.get(role, ())


def handler_lets_in(role, pattern):
    for prefix, roles in HANDLER_RULES.items():
        if pattern == prefix or pattern.startswith(prefix + "/"):
            return (None if role == "anonymous" else role) in roles
    return True


def to_sign_in(r):
    return r.status_code in (302, 303) and path_of(r.headers.get("Location", "")).startswith(
        "/quan-tri/dang-nhap")


@pytest.fixture(scope="module")
def walkers(module_server):
    w = world(module_server)
    s = module_server
    out = {"anonymous": Client(s)}
    for role, user in WALKERS.items():
        if user in ("admin", "editor"):
            out[role] = s.client(login=user)
        elif user == "quantri-b":
            b = Client(s, host=HOST_B)
            assert login(b, user, PASSWORDS[user]).status_code == 303
            stolen = Client(s)  # the same cookie, sent to unit 1's host
            stolen.s.cookies.update(b.s.cookies)
            out[role] = stolen
        elif user is not None:
            out[role] = signed_in(s, user)
    return {"clients": out, "values": w["values"], "server": s}


def test_route_permissions_are_pinned():
    """Each route's permission is the one routes.txt records: changing who may open a
    route is a decision this table makes visible."""
    now = {"\t".join(r[:3]) for r in routes()}
    pinned = {line for line in PINNED.read_text().splitlines() if line and not line.startswith("#")}
    assert now == pinned, (
        "the route table changed; if on purpose, change tests/http/routes.txt "
        "(lines as `phuong routes | cut -f1-3` prints them) and ROLE_PERMISSIONS for a "
        "new permission.\n"
        "new or changed: %s\ngone or changed: %s" % (sorted(now - pinned), sorted(pinned - now)))
    for _, _, permission in (line.split("\t") for line in now):
        assert permission == "public" or any(permission in p for p in ROLE_PERMISSIONS.values()), (
            "permission %r is held by no role of ROLE_PERMISSIONS" % permission)


def request(client, method, path):
    if method == "GET":
        return client.get(path)
    token = client.csrf_from("/quan-tri/dang-nhap", None)
    return client.post(path, {"csrf": token})


def check(role, method, pattern, permission, r):
    """The problem with response r of role on a route, or None."""
    who = "anonymous" if role == "other_unit" else role
    if r.status_code >= 500:
        return "%d" % r.status_code
    if allowed(who, permission) and not handler_lets_in(who, pattern):
        if r.status_code != 403:
            return "let in (%d) though the handler's rule (HANDLER_RULES) keeps %s out" % (
                r.status_code, who)
        return None
    if allowed(who, permission):
        # A POST's 403 may be the handler's (a dossier's step belongs to one role in one
        # state); a GET's may not.
        if (r.status_code == 401 and pattern != "/quan-tri/dang-nhap" or to_sign_in(r)
                or r.status_code == 403 and method == "GET"):
            return ("refused (%d) though %s holds %s (a handler's own rule? say so in "
                    "HANDLER_RULES)" % (r.status_code, who, permission))
        # 400: a form's target opened without its query; 404: the object is not in the
        # state the page prints (no refusal yet for Mẫu 03).
        if method == "GET" and r.status_code not in (200, 301, 302, 303, 400, 404):
            return "%d for a GET %s may open" % (r.status_code, who)
        return None
    if who == "anonymous":
        ok = to_sign_in(r) if method == "GET" else r.status_code == 401
    else:
        ok = r.status_code == 403
    if not ok:
        return "let in (%d %s) without %s" % (r.status_code, r.headers.get("Location", ""),
                                              permission)
    return None


def test_every_route_answers_each_role_as_its_permission_says(walkers):
    """GETs first for every role, then the POSTs (with only a valid CSRF token, so the
    roles let in stop at the input checks, and those turned away change nothing)."""
    problems, unknown = [], []
    table = routes()
    for method in ("GET", "POST"):
        for role, client in walkers["clients"].items():
            for m, pattern, permission, _ in table:
                if m != method or pattern == "/quan-tri/dang-xuat" and role != "anonymous":
                    continue
                path = fill(pattern, walkers["values"])
                if path is None:
                    unknown.append(pattern)
                    continue
                r = request(client, method, path)
                problem = check(role, method, pattern, permission, r)
                if problem:
                    problems.append("%s %s as %s: %s — %s" % (method, path, role, problem,
                                                              squash(r.text)[:120]))
    assert not unknown, ("routes whose parameters routewalk.PREFIXES does not know: %s"
                         % sorted(set(unknown)))
    assert not problems, "\n".join(problems)
    assert walkers["server"].proc.poll() is None


def test_sign_out_is_for_staff_only(walkers):
    """The last step: each signed-in role signs out, after which its session opens no
    staff page."""
    for role, client in walkers["clients"].items():
        if role in ("anonymous", "other_unit"):
            continue
        r, doc = client.page("/quan-tri")
        assert r.status_code == 200, (role, r.status_code)
        r = client.post("/quan-tri/dang-xuat", {"csrf": client.csrf(doc, "/quan-tri/dang-xuat")})
        assert r.status_code == 303, (role, r.status_code)
        assert to_sign_in(client.get("/quan-tri")), role

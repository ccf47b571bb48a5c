"""Routes × bad input: every form the pages show to each role, and every query parameter
the code reads (found in src/ by request_query), gets empty, 100 KB, invalid and overlong
UTF-8, NUL, control and bidi characters, `<script>`, quotes and SQL metacharacters, huge,
negative and fractional numbers, and the field twice. No answer may be a 5xx, the server
must stay up (and, built with the sanitizer, exit clean), and a refusal is a 4xx with a
page saying why. Then a marker with markup and quotes is stored through the staff forms
and every page, feed, JSON, CSV, XLSX and printed form of every role must show it
escaped. PHUONG_FUZZ_REQUESTS bounds the fuzzing requests (default 4000); the sample of
payloads per field is the same on every run."""
import csv
import io
import json
import os
import re
import urllib.parse
import zipfile
import zlib
from pathlib import Path

import lxml.etree
import pytest

from conftest import ROOT, Server
from routewalk import ROLE_PERMISSIONS, fill, routes, signed_in, world
from util import create_article, form_fields, parse, png_bytes, squash

BUDGET = int(os.environ.get("PHUONG_FUZZ_REQUESTS", "4000"))
MARKER = "Z9\"'<script>x</script><img src=z9 onerror=alert(9)>"
PAYLOADS = [
    ("empty", b""),
    ("100 KB", b"a" * 100_000),
    ("invalid UTF-8", b"\xff\xfe\xfd a \x80"),
    ("overlong UTF-8", b"\xc0\xaf\xe0\x80\xaf\xf0\x80\x80\xaf"),
    ("NUL", b"a\x00b"),
    ("controls", "\x01\x07\x1b[31m\r\x7f\u202etxt.exe\u2028".encode()),
    ("noncharacters", "a\ufffe\uffffb\ufdd0".encode()),
    ("markup", MARKER.encode()),
    ("SQL", b"' OR '1'='1'; DROP TABLE article; -- \\ % _"),
    ("huge number", b"99999999999999999999999999999"),
    ("negative", b"-1"),
    ("int64 underflow", b"-9223372036854775809"),
    ("float", b"1e308"),
    ("repeated", None),  # the field twice, with two different values
]
WALKERS = {"admin": "admin", "editor": "editor", "clerk": "canbo", "specialist": "chuyenvien",
           "leader": "lanhdao", "province_admin": "tinh", "anonymous": None}
# Last: forms that end the walker's session or change who may sign in.
LAST = ("/quan-tri/nguoi-dung", "/quan-tri/mat-khau", "/quan-tri/dang-xuat")


def query_names():
    """Every query parameter name the C code reads."""
    names = set()
    for path in (ROOT / "src").rglob("*.c"):
        names.update(re.findall(r'request_query\([^,()]+,\s*"([^"]+)"', path.read_text()))
    assert names, "no request_query(r, \"name\") found in src/"
    return sorted(names)


def route_of(path, table):
    """The route pattern a concrete path matches, or None."""
    for _, pattern, _, _ in table:
        if re.fullmatch(re.escape(pattern).replace(r"\{\}", "[^/]+"), path):
            return pattern
    return None


def harvest(clients, table, values):
    """Every form the GET pages (and the in-site links with a query they show) give each
    role: {(method, action): (role, fields, multipart, file inputs)}, the first role to
    show it, one per route (one account's row, not every account's)."""
    forms, patterns = {}, set()
    for role, client in clients.items():
        pages = [fill(p, values) for m, p, _, _ in table if m == "GET"]
        seen = set()
        while pages:
            path = pages.pop(0)
            if path is None or path in seen or len(seen) > 200:
                continue
            seen.add(path)
            r = client.get(path)
            if r.status_code != 200 or "html" not in r.headers.get("Content-Type", ""):
                continue
            doc = parse(r.content)
            for href in doc.xpath("//a/@href"):
                if href.startswith("/") and "?" in href and not href.startswith("//"):
                    pages.append(href)  # a page one link away with a query: /tiep-nhan?thu-tuc=
            for form in doc.xpath("//form"):
                method = (form.get("method") or "get").upper()
                fields = form_fields(form)
                # A button's formaction sends the same fields elsewhere (preview, publish).
                actions = [form.get("action") or path] + form.xpath(".//@formaction")
                for action in actions:
                    action = action.split("#")[0]
                    if method == "GET":
                        action = action.split("?")[0]
                        pages.append(action + "?" + urllib.parse.urlencode(fields))
                    key = (method, action)
                    pattern = route_of(action, table)
                    if key not in forms and (method, pattern) not in patterns:
                        patterns.add((method, pattern))
                        multipart = "multipart" in (form.get("enctype") or "")
                        forms[key] = (role, fields, multipart, form.xpath(
                            ".//input[@type='file']/@name"))
    # A POST route no page showed a form for (a dossier's step in another state): the
    # field names the code reads, with the walker's CSRF token, as a role it lets in.
    for m, pattern, permission, _ in table:
        path = fill(pattern, values)
        if m != "POST" or path is None or ("POST", pattern) in patterns or "dang-xuat" in path:
            continue
        role = next((r for r in clients if r != "anonymous" and (
            permission == "public" or permission in ROLE_PERMISSIONS[r])), "anonymous")
        page = "/quan-tri" if role != "anonymous" else "/quan-tri/dang-nhap"
        fields = {n: "1" for n in form_names()}
        fields["csrf"] = clients[role].csrf_from(page, None)
        forms[("POST", path)] = (role, fields, False, [])
    return forms


def form_names():
    """Every form field name the C code reads."""
    names = set()
    for path in (ROOT / "src").rglob("*.c"):
        names.update(re.findall(r'(?:request_form|form_value)\([^,()]+,\s*"([^"]+)"',
                                path.read_text()))
    return sorted(names - {"csrf"})


def encoded(pairs):
    return urllib.parse.urlencode([(k, v) for k, v in pairs])


def plan(forms, names, table, values):
    """[(role, method, action, pairs, multipart, files)] for the budget: each field gets
    each payload when it fits, else a sample that still gives every form every payload."""
    cases = []
    for (method, action), (role, fields, multipart, files) in sorted(
            forms.items(), key=lambda kv: (kv[0][1].startswith(LAST), kv[0])):
        for f in sorted(fields):
            for label, value in PAYLOADS:
                pairs = [(k, v.encode() if isinstance(v, str) else v)
                         for k, v in fields.items() if k != f]
                if value is None:
                    pairs += [(f, b"1"), (f, "hai".encode())]
                else:
                    pairs.append((f, value))
                cases.append((role, method, action, f, label, pairs, multipart, files))
    # Every GET route gets every query parameter the code reads, one payload each.
    gets = [fill(p, values) for m, p, _, _ in table if m == "GET"]
    for i, path in enumerate(p for p in gets if p):
        for j, name in enumerate(names):
            label, value = PAYLOADS[(i + j) % len(PAYLOADS)]
            pairs = [(name, b"1"), (name, b"2")] if value is None else [(name, value)]
            cases.append(("anonymous" if i % 2 else "admin", "GET", path, name, label, pairs,
                          False, []))
    plan.planned = len(cases)
    if len(cases) <= BUDGET:
        return cases
    # Keep every (form, payload) once, then fill the budget by a stable hash.
    keep, rest = [], []
    seen = set()
    for c in cases:
        k = (c[1], c[2], c[4])
        (rest if k in seen else keep).append(c)
        seen.add(k)
    rest.sort(key=lambda c: zlib.crc32(repr(c[:5]).encode()))
    return keep + rest[:max(0, BUDGET - len(keep))]


def send(client, method, action, pairs, multipart, files):
    if method == "GET":
        return client.get(action + "?" + encoded(pairs))
    if multipart:
        parts = [(k, (None, v)) for k, v in pairs]
        parts += [(name, ("a.png", png_bytes(), "image/png")) for name in files]
        return client.post(action, files=parts)
    return client.post(action, data=encoded(pairs),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})


def escaping_problem(r):
    """Where the marker shows unescaped in a response, or None."""
    ctype = r.headers.get("Content-Type", "").lower()
    body = r.content
    if "<script>x</script>".encode() in body and "json" not in ctype and "csv" not in ctype:
        return "raw <script> in %s" % ctype
    if "html" in ctype:
        doc = parse(body)
        if doc.xpath("//img[@src='z9'] | //*[@onerror] | //script[normalize-space()='x']"):
            return "the marker became markup"
        for value in doc.xpath("//@*"):
            if "Z9" in value and "Z9\"'" not in value and "Z9%22" not in value:
                return "an attribute holding the marker was cut at its quote: %r" % value[:80]
    elif "json" in ctype:
        try:
            json.loads(body.decode("utf-8"))
        except ValueError as e:
            return "JSON does not parse: %s" % e
    elif body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            for name in z.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    data = z.read(name)
                    if b"<script>x" in data:
                        return "raw <script> in %s" % name
                    try:
                        lxml.etree.fromstring(data)
                    except lxml.etree.XMLSyntaxError as e:
                        return "%s does not parse: %s" % (name, e)
    elif "xml" in ctype or "svg" in ctype:
        try:
            lxml.etree.fromstring(body)
        except lxml.etree.XMLSyntaxError as e:
            return "XML does not parse: %s" % e
    elif "csv" in ctype:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        for row in rows:
            for cell in row:
                if cell[:1] in ("=", "+", "@") or cell[:1] == "-" and not re.fullmatch(r"-[\d.,]+", cell):
                    return "CSV cell starts a formula: %r" % cell[:40]
    return None


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("bad_input") / "data",
                    extra_args=("--lookup-limit", "0"))
    try:
        w = world(server)
        clients = {}
        for role, user in WALKERS.items():
            if user in ("admin", "editor"):
                clients[role] = server.client(login=user)
            elif user:
                clients[role] = signed_in(server, user)
            else:
                clients[role] = server.client()
        yield {"server": server, "clients": clients, "values": w["values"], "table": routes()}
    finally:
        server.check_stopped_cleanly()


def refusal_problem(r):
    if r.status_code >= 500:
        return "%d" % r.status_code
    if 400 <= r.status_code < 500 and r.status_code not in (404, 405, 413, 414, 431):
        ctype = r.headers.get("Content-Type", "")
        if "html" in ctype and len(squash(parse(r.content).text_content())) < 10:
            return "%d without a message" % r.status_code
    return None


def test_every_field_of_every_form_refuses_bad_input_cleanly(fuzz_world):
    s, clients = fuzz_world["server"], fuzz_world["clients"]
    table, values = fuzz_world["table"], fuzz_world["values"]
    forms = harvest(clients, table, values)
    posts = {a for m, a in forms if m == "POST"}
    assert len(posts) >= 20, "too few forms found on the pages: %s" % sorted(posts)
    cases = plan(forms, query_names(), table, values)
    problems, statuses = [], {}
    for n, (role, method, action, field, label, pairs, multipart, files) in enumerate(cases):
        try:
            r = send(clients[role], method, action, pairs, multipart, files)
        except Exception as e:  # no answer: only acceptable if the server is still up
            r = None
            if s.proc.poll() is not None:
                pytest.fail("the server died on %s %s %s=%s: %s\n%s" % (
                    method, action, field, label, e, s.log()), pytrace=False)
            problems.append("%s %s %s=%s as %s: no answer (%s)" % (method, action, field,
                                                                   label, role, e))
            continue
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        problem = refusal_problem(r) or escaping_problem(r)
        if problem:
            problems.append("%s %s %s=%s as %s: %s — %s" % (
                method, action, field, label, role, problem, squash(r.text)[:160]))
        if n % 200 == 0:
            assert s.proc.poll() is None, "server died:\n" + s.log()
    print("bad input: %d forms, %d requests of %d planned, statuses %s" % (
        len(forms), len(cases), plan.planned, sorted(statuses.items())))
    assert s.proc.poll() is None, "server died:\n" + s.log()
    assert s.client().get("/robots.txt").status_code == 200
    # What the fuzzing stored shows on pages and feeds that must still be well formed.
    for role in ("anonymous", "admin", "clerk"):
        for path, r in crawl(clients[role], ["/", "/quan-tri"]):
            problem = escaping_problem(r)
            if problem:
                problems.append("after the fuzzing, %s as %s: %s" % (path, role, problem))
    Path(s.data.parent / "bad-input-problems.txt").write_text("\n".join(problems))
    assert not problems, "\n".join(problems[:40])


def crawl(client, start, limit=250):
    """(path, response) of the site's pages reachable by links from start, feeds and
    alternates included, at most limit of them."""
    todo, seen = list(start), set()
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen or "/dang-xuat" in path:
            continue
        seen.add(path)
        r = client.get(path)
        yield path, r
        if r.status_code == 200 and "html" in r.headers.get("Content-Type", ""):
            for href in parse(r.content).xpath("//a/@href | //link/@href"):
                href = re.sub(r"^https?://[^/]+", "", href).split("#")[0]
                if href.startswith("/") and not href.startswith("//") and href not in seen:
                    todo.append(href)


def store_marker(server, clients, values):
    """Puts MARKER into what staff and citizens type: an article (title, author, body,
    photo caption), a category, a staff name, a procedure, a counter dossier, an online
    one, a step's note and a rating's comment. Returns values pointing at those."""
    # The admin writes the article: the fuzzing may have changed the editor's account.
    admin, editor, clerk = clients["admin"], clients["admin"], clients["clerk"]
    marked = dict(values)
    article = create_article(editor, MARKER + " tin", MARKER + "\n\n**" + MARKER + "**",
                             author=MARKER)
    marked["article"] = article
    token = editor.csrf_from("/quan-tri/bai-viet/%d" % article, "/anh")
    editor.post("/quan-tri/bai-viet/%d/anh" % article, {"csrf": token, "caption": MARKER},
                files={"file": ("a.png", png_bytes(), "image/png")})
    r, home = server.client().page("/")
    marked["article_path"] = next(h.split("/")[2] for h in home.xpath("//a/@href")
                                  if h.startswith("/bai-viet/%d-" % article))
    token = admin.csrf_from("/quan-tri/chuyen-muc", "/quan-tri/chuyen-muc")
    assert admin.post("/quan-tri/chuyen-muc", {"csrf": token, "name": MARKER + " mục"}
                      ).status_code == 303
    token = admin.csrf_from("/quan-tri/nguoi-dung", "/quan-tri/nguoi-dung")
    assert admin.post("/quan-tri/nguoi-dung", {
        "csrf": token, "username": "dau-nhay", "display_name": MARKER, "role": "clerk",
        "password": "Mật khẩu dấu nháy 2025"}).status_code == 303
    proc = values["procedure"]
    r, doc = admin.page("/quan-tri/thu-tuc/%s" % proc)
    form = [f for f in doc.xpath("//form") if (f.get("action") or "").endswith("/" + proc)][0]
    data = form_fields(form)
    for k in ("name", "result", "office", "legal_basis", "field"):
        if k in data:
            data[k] = MARKER + " " + k
    r = admin.post("/quan-tri/thu-tuc/%s" % proc, data)
    assert r.status_code == 303, squash(r.text)[:300]
    r, doc = clerk.page("/quan-tri/ho-so/tiep-nhan?thu-tuc=%s" % proc)
    form = doc.xpath("//form[@action='/quan-tri/ho-so/tiep-nhan' and @method='post']")[0]
    data = form_fields(form)
    data.update({"name": MARKER, "address": MARKER, "phone": "0909 000 333", "sets": "1",
                 "email": "a@example.vn", "id_number": "079123456789"})
    r = clerk.post("/quan-tri/ho-so/tiep-nhan", data)
    assert r.status_code == 303, squash(r.text)[:300]
    marked["dossier"] = r.headers["Location"].split("/")[3]
    token = clerk.csrf_from("/quan-tri/ho-so/%s" % marked["dossier"], None)
    clerk.post("/quan-tri/ho-so/%s/chuyen-xu-ly" % marked["dossier"],
               {"csrf": token, "note": MARKER})
    citizen = server.client()
    path = "/thu-tuc/%s/nop-truc-tuyen" % proc
    r, doc = citizen.page(path)
    data = form_fields(doc.xpath("//form[@action='%s']" % path)[0])
    data.update({"name": MARKER, "phone": "0909 000 444", "delivery": "online",
                 "address": MARKER})
    r = citizen.post(path, data, files=[("tep", ("a.png", png_bytes(), "image/png"))])
    assert r.status_code == 201, squash(r.text)[-300:]
    # A returned dossier rated with the marker as its comment.
    code = marked["dossier"]
    server.db.run("UPDATE dossier SET status = 'returned', returned_at = received_at + 60"
                  " WHERE code = '%s'" % code)
    token = citizen.csrf_from("/danh-gia-ho-so")
    r = citizen.post("/danh-gia-ho-so", {"csrf": token, "ma": code, "sdt": "0333",
                                        "overall": "1", "comment": MARKER})
    assert r.status_code == 201, squash(r.text)[:300]
    return marked


def test_stored_markup_is_escaped_everywhere_it_shows(fuzz_world):
    s, clients, table = fuzz_world["server"], fuzz_world["clients"], fuzz_world["table"]
    marked = store_marker(s, clients, fuzz_world["values"])
    problems, shown = [], 0
    extra = ["/index.json", "/tra-cuu-ho-so?ma=%s&sdt=0333" % marked["dossier"],
             "/quan-tri/thong-ke.csv", "/quan-tri/thong-ke.xlsx", "/quan-tri/nhat-ky"]
    for role, client in clients.items():
        paths = [fill(p, marked) for m, p, _, _ in table if m == "GET"] + extra
        for path in paths:
            if path is None:
                continue
            for headers in ({}, {"Accept": "application/json"}):
                r = client.get(path, headers=headers)
                if r.status_code != 200:
                    continue
                shown += b"Z9" in r.content or b"Z9" in r.content.replace(b"\\", b"")
                problem = escaping_problem(r)
                if problem:
                    problems.append("%s %s as %s: %s" % (path, headers or "", role, problem))
    assert shown >= 20, "the marker showed on only %d pages: was it stored?" % shown
    # The exports hold it too (else their check above proved nothing).
    for path in ("/quan-tri/thong-ke.csv", "/quan-tri/thong-ke.xlsx", "/rss.xml"):
        r = clients["admin"].get(path)
        body = r.content
        if body[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                body = b"".join(z.read(n) for n in z.namelist())
        assert b"Z9" in body, "the marker is not in %s" % path
    assert not problems, "\n".join(problems[:40])

"""Many units in one deployment. A province admin creates a commune with its host names
and first admin; the province viewer sees the units side by side; and a unit's staff can
neither read nor change another unit's data on any route: the test walks the whole route
table (`phuong routes`), so every route a later part adds is covered, and fails on a
route whose path parameters it does not know yet."""
import json

import pytest

from conftest import Client
from routewalk import (CLERK_PASSWORD, FORM, HOST_B, PASSWORDS, UNBOUND, fill, kinds,
                       login, markers, routes, world)
from util import png_bytes, squash, text


def unit_tables(db):
    if db.engine == "sqlite":
        found = db.rows("SELECT m.name AS t FROM sqlite_master m, pragma_table_info(m.name) p"
                        " WHERE m.type = 'table' AND p.name = 'unit_id'")
    else:
        found = db.rows("SELECT table_name AS t FROM information_schema.columns"
                        " WHERE table_schema = 'public' AND column_name = 'unit_id'")
    # Sessions and failed logins of a unit change when its people sign in, not by data.
    return sorted({r["t"] for r in found} - {"session", "login_failure"})


def snapshot(db, unit_id):
    """Every row of the unit, table by table, in a stable order."""
    out = {"unit": db.rows("SELECT * FROM unit WHERE id = %d" % unit_id)}
    for table in unit_tables(db):
        rows = db.rows("SELECT * FROM %s WHERE unit_id = %d" % (table, unit_id))
        out[table] = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
    return out


@pytest.fixture(scope="module")
def units(module_server):
    """Two units and their accounts (routewalk.world)."""
    return world(module_server)


def test_new_unit_serves_its_own_site(units):
    b = Client(units["server"], host=HOST_B)
    r, doc = b.page("/")
    assert r.status_code == 200
    t = text(doc)
    assert "Xã Bình An" in t and "ra quân làm sạch kênh" in t
    for m in markers():
        assert m not in t
    # The second host name, any case, with a port, is the same unit.
    r, doc = Client(units["server"], host="www.%s:8080" % HOST_B.upper()).page("/")
    assert "ra quân làm sạch kênh" in text(doc)
    # And unit 1 does not show unit 2's article, nor find it by search.
    r, doc = Client(units["server"]).page("/")
    assert "ra quân làm sạch kênh" not in text(doc)
    r, doc = Client(units["server"]).page("/tim-kiem?q=lam+sach+kenh")
    assert "ra quân làm sạch kênh" not in text(doc)
    r, doc = b.page("/tim-kiem?q=lam+sach+kenh")
    assert "ra quân làm sạch kênh" in text(doc)


def test_every_route_keeps_units_apart(units):
    """Unit 2's admin, on unit 2's host, tries every route with unit 1's ids, slugs and
    file hashes: nothing of unit 1 is shown, and no row of unit 1 changes."""
    s, b = units["server"], units["b_admin"]
    values = units["values"]
    before = snapshot(s.db, 1)
    unknown = []
    for method, pattern, permission, _ in routes():
        if pattern == "/quan-tri/dang-xuat":
            continue  # would only end the walker's own session; covered below
        path = fill(pattern, values)
        if path is None:
            unknown.append(pattern)
            continue
        if method == "GET":
            r = b.get(path)
        else:
            token = b.csrf_from("/quan-tri", None)
            files = {"file": ("x.png", png_bytes(), "image/png")} if path.endswith("/anh") else None
            r = b.post(path, dict(FORM, csrf=token), files=files)
        body = r.content.decode("utf-8", "replace")
        for m in markers():
            assert m not in body, "%s %s shows unit 1's %r" % (method, path, m)
        bound = [k for k in kinds(pattern) if k not in UNBOUND]
        if bound:
            assert r.status_code in (403, 404, 422), (
                "%s %s with unit 1's %s answered %d" % (method, path, bound, r.status_code))
        if permission.startswith("province"):
            assert r.status_code == 403, (method, path, r.status_code)
    assert not unknown, "routes the walk does not know the parameters of: %s" % unknown
    assert snapshot(s.db, 1) == before, "unit 1's data changed"


def test_a_session_opens_only_its_own_unit(units):
    """Unit 2's session cookie sent to unit 1's host opens nothing there."""
    s, b = units["server"], units["b_admin"]
    stolen = Client(s)
    stolen.s.cookies.update(b.s.cookies)
    for method, pattern, permission, _ in routes():
        if permission == "public" or "{}" in pattern:
            continue
        r = stolen.get(pattern) if method == "GET" else stolen.post(pattern, dict(FORM))
        if method == "GET":
            assert r.status_code == 303 and "/quan-tri/dang-nhap" in r.headers["Location"], (
                pattern, r.status_code)
        else:
            assert r.status_code in (401, 403), (pattern, r.status_code)


def test_province_viewer_sees_units_side_by_side(units):
    s = units["server"]
    viewer = Client(s)
    assert login(viewer, "theodoi", PASSWORDS["theodoi"]).status_code == 303
    r, doc = viewer.page("/quan-tri/tinh")
    assert r.status_code == 200
    rows = {squash(text(tr.xpath("td")[1])): [squash(text(td)) for td in tr.xpath("td")]
            for tr in doc.xpath("//table//tbody/tr")}
    assert "Xã Bình An" in rows and len(rows) == 2, rows
    assert rows["Xã Bình An"][3] == "1"  # one article published now
    published_1 = int(s.db.value(
        "SELECT count(*) FROM article WHERE unit_id = 1 AND status = 'published'"))
    other = [v for k, v in rows.items() if k != "Xã Bình An"][0]
    assert int(other[3]) == published_1
    # A viewer may not create units; nor may a unit's admin see the province pages.
    assert viewer.get("/quan-tri/tinh/don-vi").status_code == 403
    assert units["b_admin"].get("/quan-tri/tinh").status_code == 403
    r = viewer.get("/quan-tri/tinh.json")
    assert r.status_code == 200 and len(r.json()["units"]) == 2


@pytest.mark.parametrize("fields,message", [
    ({"code": "27001", "hosts": "moi.test"}, "đã thuộc"),           # code taken
    ({"code": "27002", "hosts": HOST_B}, "đã thuộc"),                # host taken
    ({"code": "27003", "hosts": "http://moi.test"}, "Tên miền"),
    ({"code": "27004", "hosts": "moi.test:8080"}, "Tên miền"),
    ({"code": "27005", "hosts": ""}, "tên miền"),
    ({"code": "có dấu", "hosts": "moi.test"}, "Mã đơn vị"),
    ({"code": "27006", "hosts": "moi.test", "admin": "A"}, "Tên đăng nhập"),
    ({"code": "27007", "hosts": "moi.test", "name": ""}, "Tên đơn vị"),
    ({"code": "27008", "hosts": "moi.test", "name": "Xã \x1b[31mMới"}, "Tên đơn vị"),
    ({"code": "27009", "hosts": "moi.test", "name": "Xã \u202eiớM"}, "Tên đơn vị"),
])
def test_unit_form_refuses_bad_input(units, fields, message):
    s, province = units["server"], units["province"]
    count = s.db.value("SELECT count(*) FROM unit")
    token = province.csrf_from("/quan-tri/tinh/don-vi", "/quan-tri/tinh/don-vi")
    form = {"csrf": token, "name": "Xã Mới", "admin": "quantri-moi", **fields}
    r = province.post("/quan-tri/tinh/don-vi", form)
    assert r.status_code == 422, r.status_code
    assert message in text(r.content)
    assert s.db.value("SELECT count(*) FROM unit") == count


def test_province_admin_renames_a_unit_and_moves_its_host(units):
    s, province = units["server"], units["province"]
    unit_id = int(s.db.value("SELECT id FROM unit WHERE code = '27001'"))
    token = province.csrf_from("/quan-tri/tinh/don-vi", "/quan-tri/tinh/don-vi/%d" % unit_id)
    r = province.post("/quan-tri/tinh/don-vi/%d" % unit_id, {
        "csrf": token, "name": "Xã Bình An", "hosts": "%s binhan.test" % HOST_B})
    assert r.status_code == 303
    r, doc = Client(s, host="binhan.test").page("/")
    assert "ra quân làm sạch kênh" in text(doc)
    r, doc = Client(s, host="www.%s" % HOST_B).page("/")
    # A province serves no unit under a name nobody configured (any more).
    assert r.status_code == 404 and "ra quân làm sạch kênh" not in text(doc)
    assert "không thuộc đơn vị nào" in text(doc)
    r = province.post("/quan-tri/tinh/don-vi/99999", {"csrf": token, "name": "X", "hosts": "x.test"})
    assert r.status_code == 404


def clerk_of_unit_b(units):
    """A clerk account of unit 2, signed in on unit 2's host (made once per module)."""
    if "clerk_b" not in units:
        s, b_admin = units["server"], units["b_admin"]
        token = b_admin.csrf_from("/quan-tri/nguoi-dung", "/quan-tri/nguoi-dung")
        r = b_admin.post("/quan-tri/nguoi-dung", {"csrf": token, "username": "canbo-b",
                                                   "display_name": "Cán bộ xã Bình An",
                                                   "password": CLERK_PASSWORD, "role": "clerk"})
        assert r.status_code == 303, squash(r.text)[:300]
        clerk_b = Client(s, host=HOST_B)
        assert login(clerk_b, "canbo-b", CLERK_PASSWORD).status_code == 303
        # The password the admin typed is one-time.
        r = clerk_b.set_own_password(CLERK_PASSWORD, CLERK_PASSWORD + " mới")
        assert r.status_code == 303, squash(r.text)[:300]
        units["clerk_b"] = clerk_b
    return units["clerk_b"]


def test_another_unit_can_neither_rate_nor_read_unit_1s_dossiers(units):
    """The rating form proves a dossier by its code and phone digits within the unit of the
    host; unit 2's one-stop staff read only unit 2's ratings."""
    s, b_admin = units["server"], units["b_admin"]
    code = units["values"]["dossier"]
    s.db.run("DELETE FROM dossier_lookup")
    # The dossier is handed back (its flow is tested in test_dossiers.py).
    s.db.run("UPDATE dossier SET status = 'returned' WHERE unit_id = 1 AND code = '%s'" % code)
    visitor_b = Client(s, host=HOST_B)
    r = visitor_b.get("/danh-gia-ho-so?ma=%s&sdt=0111" % code)
    assert r.status_code == 404, r.status_code
    token = visitor_b.csrf_from("/danh-gia-ho-so")
    r = visitor_b.post("/danh-gia-ho-so", {"csrf": token, "ma": code, "sdt": "0111",
                                          "overall": "1", "comment": "Đánh giá trộm"})
    assert r.status_code == 404, r.status_code
    for m in markers():
        assert m not in r.text
    assert s.db.value("SELECT count(*) FROM dossier_rating") in ("0", 0)
    # The same proof on unit 1's own host rates it.
    visitor_a = Client(s)
    token = visitor_a.csrf_from("/danh-gia-ho-so")
    r = visitor_a.post("/danh-gia-ho-so", {"csrf": token, "ma": code, "sdt": "0111",
                                          "overall": "3", "comment": "Góp ý của Phường 9"})
    assert r.status_code == 201, squash(r.text)[:300]
    # A clerk of unit 2 sees none of it.
    clerk_b = clerk_of_unit_b(units)
    r, doc = clerk_b.page("/quan-tri/danh-gia")
    assert r.status_code == 200
    assert code not in r.text and "Góp ý của Phường 9" not in r.text
    assert doc.xpath("//*[@id='rating-none']")
    assert "Số lượt đánh giá: 0" in squash(text(doc.xpath("//*[@id='rating-total']")[0]))
    for m in markers():
        assert m not in r.text
    assert clerk_b.get("/quan-tri/ho-so/%s" % code).status_code == 404


def test_another_units_clerk_cannot_open_an_attachment(units):
    """Unit 2's own clerk, who may open unit 2's attachments, gets 404 for unit 1's, and a
    visitor with no session is sent to sign in."""
    s, values = units["server"], units["values"]
    clerk_b = clerk_of_unit_b(units)
    path = "/quan-tri/ho-so/%s/tep/%s" % (values["online_dossier"], values["dossier_file"])
    r = clerk_b.get(path)
    assert r.status_code == 404, r.status_code
    assert b"\x89PNG" not in r.content
    r = Client(s).get(path)
    assert r.status_code == 303 and "/quan-tri/dang-nhap" in r.headers["Location"]

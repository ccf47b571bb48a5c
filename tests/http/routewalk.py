"""The route table as the tests walk it: `phuong routes`, a world of two units with every
role signed in, and each path parameter filled with a real id of unit 1. A route whose
parameter no entry of PARAMS names makes the walks fail, saying which route."""
import re

from conftest import Client, phuong
from util import create_article, edit_form, parse, png_bytes, squash, text

HOST_B = "xa-binh-an.test"
PASSWORDS = {"tinh": "Quản trị cấp tỉnh 2025 #1", "theodoi": "Theo dõi cấp tỉnh 2025 #1",
             "quantri-b": "Quản trị xã Bình An #2", "canbo": "Cán bộ một cửa Phường 9 #1",
             "chuyenvien": "Chuyên viên Phường 9 2025 #1", "lanhdao": "Lãnh đạo Phường 9 2025 #1"}
SECRET_TITLE = "Bản nháp mật của Phường 9 chưa đăng"
SECRET_BODY = "Nội dung nội bộ của phường: không đơn vị nào khác được đọc."
SECRET_PROCEDURE = "Thủ tục riêng của Phường 9 không đơn vị nào khác có"
SECRET_APPLICANT = "Người nộp hồ sơ ở Phường 9"
CLERK_PASSWORD = PASSWORDS["canbo"]
# Unit 1's accounts made on the command line: (username, role).
ACCOUNTS = [("tinh", "province_admin"), ("theodoi", "province_viewer"), ("canbo", "clerk"),
            ("chuyenvien", "specialist"), ("lanhdao", "leader")]

# What each role may do, as src/auth/auth.c grants it ("public" is everyone's).
ROLE_PERMISSIONS = {
    "admin": {"staff", "news_edit", "categories", "users", "audit", "procedures",
              "statistics"},
    "editor": {"staff", "news_edit"},
    "clerk": {"staff", "dossier_intake", "statistics"},
    "specialist": {"staff", "dossier_process"},
    "leader": {"staff", "dossier_sign", "statistics"},
    "province_admin": {"staff", "province_units", "province_view"},
    "province_viewer": {"staff", "province_view"},
}
# The kind of value each {} takes: the whole pattern first, else the pattern up to and
# including that {} (so "/quan-tri/ho-so/{}" serves every route under a dossier). A
# route none of these names fails the walks: add its kind here (and to world()).
PARAMS = {
    "/quan-tri/ho-so/{}/tep/{}": ["online_dossier", "dossier_file"],
    "/quan-tri/ho-so/{}/thu-rac": ["online_dossier"],
}
PREFIXES = {
    "/chuyen-muc/{}": "category_slug",
    "/bai-viet/{}": "article_path",
    "/luu-tru/{}": "day",
    "/tep/{}": "file",
    "/static/{}": "static",
    "/ngon-ngu/{}": "lang",
    "/quan-tri/nguoi-dung/{}": "user",
    "/quan-tri/bai-viet/{}": "article",
    "/quan-tri/bai-viet/{}/phien-ban/{}": "revision",
    "/quan-tri/bai-viet/{}/anh/{}": "photo",
    "/quan-tri/chuyen-muc/{}": "category",
    "/quan-tri/tinh/don-vi/{}": "unit",
    "/thu-tuc/{}": "procedure",
    "/quan-tri/thu-tuc/{}": "procedure",
    "/quan-tri/thu-tuc/{}/phien-ban/{}": "procedure_version",
    "/quan-tri/ho-so/{}": "dossier",
}
# Kinds that name no unit's data: the page must only not show the other unit's.
UNBOUND = {"day", "static", "lang"}
# Form fields a POST walk sends, so a handler gets past its input checks when it would
# (wrongly) find the other unit's object.
FORM = {"title": "Sửa trộm", "body": "Sửa trộm.", "author": "X", "action": "publish",
        "published_at": "2025-01-01T08:00", "name": "Sửa trộm", "slug": "sua-trom",
        "role": "admin", "is_active": "1", "hosts": "trom.test", "code": "TROM",
        "username": "ke-trom", "display_name": "Kẻ trộm", "password": "mật khẩu kẻ trộm 123",
        "admin": "ke-trom", "caption": "Ảnh trộm", "current_password": "x",
        "password_again": "mật khẩu kẻ trộm 123", "field": "Trộm", "legal_basis": "Trộm.",
        "documents": "Giấy tờ trộm | 1", "legal_kind": "working_days", "legal_amount": "3",
        "fee_amount": "0", "result": "Trộm.", "online_level": "mot_phan", "office": "Trộm"}


def routes():
    """[(method, pattern, permission, reads|writes)] as `phuong routes` prints them."""
    r = phuong("routes")
    assert r.returncode == 0, r.stderr
    return [tuple(line.split("\t")) for line in r.stdout.splitlines() if line]


def kinds(pattern):
    """The kind of each {} of pattern, or None when one is not known."""
    if pattern in PARAMS:
        return PARAMS[pattern]
    out, at = [], 0
    while True:
        at = pattern.find("{}", at)
        if at < 0:
            return out
        kind = PREFIXES.get(pattern[:at + 2])
        if kind is None:
            return None
        out.append(kind)
        at += 2


def fill(pattern, values):
    """pattern with each {} replaced by unit 1's value of its kind; None when a kind is
    not known (the caller reports the route)."""
    found = kinds(pattern)
    if found is None:
        return None
    path = pattern
    for kind in found:
        path = path.replace("{}", str(values[kind]), 1)
    return path


def login(client, user, password):
    token = client.csrf_from("/quan-tri/dang-nhap")
    return client.post("/quan-tri/dang-nhap", {"username": user, "password": password,
                                                "csrf": token})


def signed_in(server, user, host=None):
    c = Client(server, host=host)
    r = login(c, user, PASSWORDS.get(user))
    assert r.status_code == 303, ("login as %s" % user, r.status_code, squash(r.text)[:300])
    return c


def markers():
    """Text of unit 1 that must never show on unit 2's pages."""
    from util import SAMPLE_TITLE
    return (SECRET_TITLE, SECRET_BODY, "Ảnh mật", SAMPLE_TITLE, SECRET_PROCEDURE,
            SECRET_APPLICANT)


def world(s):
    """Unit 1 (the demo ward, on 127.0.0.1) with a secret draft and photo, a procedure of
    its own with two versions, a counter dossier and an online one with a file, and an
    account of every role; unit 2 "Xã Bình An" made by the province admin on HOST_B, with
    its own admin, category and article. Returns the clients and `values` (a value of
    unit 1 for each parameter kind)."""
    for user, role in ACCOUNTS:
        r = phuong("user", "add", user, "--role", role, "--data", s.data, "--database",
                   s.database, "--password-stdin", stdin=PASSWORDS[user] + "\n")
        assert r.returncode == 0, r.stderr

    province = signed_in(s, "tinh")
    token = province.csrf_from("/quan-tri/tinh/don-vi", "/quan-tri/tinh/don-vi")
    r = province.post("/quan-tri/tinh/don-vi", {
        "csrf": token, "code": "27001", "name": "  Xã Bình An ",
        "hosts": "%s, WWW.%s" % (HOST_B, HOST_B.upper()), "admin": "quantri-b"})
    assert r.status_code == 201, squash(r.text)[:400]
    assert r.headers.get("Cache-Control") == "no-store"
    page = parse(r.content)
    one_time = page.xpath('//*[@id="one-time-password"]/text()')
    assert one_time and len(one_time[0]) == 16

    # The first admin of unit 2 signs in on its host and must set a password first.
    b_admin = Client(s, host=HOST_B)
    assert login(b_admin, "quantri-b", one_time[0]).status_code == 303
    r = b_admin.get("/quan-tri/bai-viet")
    assert r.status_code == 303 and r.headers["Location"].endswith("/quan-tri/mat-khau")
    token = b_admin.csrf_from("/quan-tri/mat-khau", "/quan-tri/mat-khau")
    r = b_admin.post("/quan-tri/mat-khau", {"csrf": token, "current_password": one_time[0],
                                             "password": PASSWORDS["quantri-b"],
                                             "password_again": PASSWORDS["quantri-b"]})
    assert r.status_code == 303
    # Unit 2 gets a category, an article, and an editor of its own.
    token = b_admin.csrf_from("/quan-tri/chuyen-muc", "/quan-tri/chuyen-muc")
    assert b_admin.post("/quan-tri/chuyen-muc", {"csrf": token, "name": "Tin xã Bình An"}
                        ).status_code == 303
    b_article = create_article(b_admin, "Xã Bình An ra quân làm sạch kênh", "Bà con cùng làm.")

    # Unit 1 keeps a draft and a photo nobody else may see.
    a_editor = s.client(login="editor")
    secret = create_article(a_editor, SECRET_TITLE, SECRET_BODY, action="save")
    token = a_editor.csrf_from("/quan-tri/bai-viet/%d" % secret, "/anh")
    r = a_editor.post("/quan-tri/bai-viet/%d/anh" % secret, {"csrf": token, "caption": "Ảnh mật"},
                      files={"file": ("mat.png", png_bytes(61, 37), "image/png")})
    assert r.status_code in (200, 201, 303)
    doc, _ = edit_form(a_editor, secret)
    photo_forms = [f for f in doc.xpath("//form") if re.search(r"/anh/\d+/xoa$", f.get("action") or "")]
    assert photo_forms, "no photo on the secret draft"
    photo = int(re.search(r"/anh/(\d+)/xoa$", photo_forms[0].get("action")).group(1))
    imgs = [src for src in doc.xpath("//img/@src") if src.startswith("/tep/")]
    assert imgs, "no /tep/ picture on the edit page"
    file_hash = imgs[0].split("/")[2].split("?")[0]

    # A procedure of unit 1 that only unit 1 has, with a second version.
    a_admin = s.client(login="admin")
    token = a_admin.csrf_from("/quan-tri/thu-tuc/moi", "/quan-tri/thu-tuc")
    procedure = {"csrf": token, "code": "thu-tuc-rieng-phuong-9", "name": SECRET_PROCEDURE,
                 "field": "Hộ tịch", "documents": "Tờ khai | 1", "legal_kind": "working_days",
                 "legal_amount": "3", "fee_amount": "0", "result": "Giấy xác nhận.",
                 "online_level": "mot_phan", "office": "Ủy ban nhân dân Phường 9",
                 "legal_basis": "Luật Hộ tịch 2014."}
    assert a_admin.post("/quan-tri/thu-tuc", procedure).status_code == 303
    token = a_admin.csrf_from("/quan-tri/thu-tuc/thu-tuc-rieng-phuong-9", "/thu-tuc-rieng-phuong-9")
    assert a_admin.post("/quan-tri/thu-tuc/thu-tuc-rieng-phuong-9",
                        dict(procedure, csrf=token, legal_amount="2")).status_code == 303

    # A dossier of unit 1, received at its counter.
    clerk = signed_in(s, "canbo")
    r, doc = clerk.page("/quan-tri/ho-so/tiep-nhan?thu-tuc=thu-tuc-rieng-phuong-9")
    form = doc.xpath("//form[@action='/quan-tri/ho-so/tiep-nhan' and @method='post']")[0]
    data = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input")}
    data.update({"name": SECRET_APPLICANT, "phone": "0909 000 111", "sets": "1",
                 "delivery": "counter", "doc_0": "original"})
    r = clerk.post("/quan-tri/ho-so/tiep-nhan", data)
    assert r.status_code == 303, squash(r.text)[:400]
    dossier = r.headers["Location"].split("/")[3]
    # An online dossier of unit 1 with a file attached.
    citizen = Client(s)
    online_path = "/thu-tuc/thu-tuc-rieng-phuong-9/nop-truc-tuyen"
    r, doc = citizen.page(online_path)
    form = doc.xpath("//form[@action='%s']" % online_path)[0]
    data = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input")}
    data.update({"name": SECRET_APPLICANT, "phone": "0909 000 222", "delivery": "online"})
    r = citizen.post(online_path, data, files=[("tep", ("mat.png", png_bytes(23, 17), "image/png"))])
    assert r.status_code == 201, squash(r.text)[-300:]
    online = squash(text(parse(r.content).xpath("//*[@id='dossier-code']")[0]))
    online_file = s.db.value("SELECT f.id FROM dossier_file f JOIN dossier d"
                             " ON d.id = f.dossier_id WHERE d.code = '%s'" % online)
    assert online_file

    # A published article of unit 1 and its public path.
    r, home = Client(s).page("/")
    a_path = next(h for h in home.xpath("//a/@href") if re.match(r"^/bai-viet/\d+-", h))
    a_category = next(h for h in home.xpath("//a/@href") if h.startswith("/chuyen-muc/"))
    category_id = s.db.value("SELECT id FROM category WHERE unit_id = 1 ORDER BY id LIMIT 1")
    editor_id = s.db.value("SELECT id FROM app_user WHERE unit_id = 1 AND username = 'editor'")
    values = {
        "category_slug": a_category.split("/")[2], "article_path": a_path.split("/")[2],
        "day": "2015-07-07", "file": file_hash, "static": "site.css", "lang": "en",
        "user": editor_id, "article": secret, "revision": 1, "photo": photo,
        "category": category_id, "unit": 1,
        "procedure": "thu-tuc-rieng-phuong-9", "procedure_version": 2,
        "dossier": dossier, "online_dossier": online, "dossier_file": online_file,
    }
    return {"server": s, "province": province, "b_admin": b_admin, "b_article": b_article,
            "secret": secret, "values": values, "clerk": clerk, "admin": a_admin,
            "editor": a_editor}

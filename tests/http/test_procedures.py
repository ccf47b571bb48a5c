"""The catalogue of administrative procedures (issue 4, part 1): the public list by field
with a search that ignores tone marks, the page of one procedure (legal time in words, the
ward's shorter promise, documents with copies, fee, legal basis), its JSON; and the back
office, where saving adds a version and the old one stays readable, bad input is refused
with a Vietnamese message and nothing written, and only an admin with a CSRF token may
write."""
import re

import pytest

from util import check_json, check_page, form_fields, form_with, is_vietnamese, squash, text

JSON = {"Accept": "application/json"}
DEMO_CODES = ("chung-thuc-ban-sao", "chung-thuc-chu-ky", "chung-thuc-hop-dong",
              "cap-ban-sao-tu-so-goc", "dang-ky-khai-sinh", "dang-ky-ket-hon", "dang-ky-khai-tu",
              "xac-nhan-tinh-trang-hon-nhan", "cap-ban-sao-trich-luc-ho-tich",
              "xac-nhan-thong-tin-ho-tich", "thay-doi-cai-chinh-ho-tich",
              "lien-thong-khai-sinh-thuong-tru-bhyt", "dang-ky-thuong-tru", "dang-ky-tam-tru")


def procedure_links(doc):
    """[(code, link text)] of the links to procedure pages in the page's main area."""
    out = []
    for a in doc.xpath("//main//a[@href]"):
        m = re.match(r"^/thu-tuc/([a-z0-9-]+)$", a.get("href"))
        if m:
            out.append((m.group(1), squash(a.text_content())))
    return out


def group_names(doc):
    return [squash(h.text_content()) for h in doc.xpath("//main//section//h2")]


# ---- the public catalogue -------------------------------------------------------------

def test_catalogue_lists_the_demo_procedures_by_field(anon):
    r, doc = anon.page("/thu-tuc")
    check_page(r)
    codes = [c for c, _ in procedure_links(doc)]
    assert set(DEMO_CODES) <= set(codes), set(DEMO_CODES) - set(codes)
    groups = group_names(doc)
    assert {"Chứng thực", "Hộ tịch", "Đăng ký, quản lý cư trú"} <= set(groups), groups
    # Fields in Vietnamese reading order ("Đ" after "C", before "H"), not byte order.
    assert groups.index("Chứng thực") < groups.index("Đăng ký, quản lý cư trú") < groups.index(
        "Hộ tịch")
    section = doc.xpath("//main//section[h2='Hộ tịch']")[0]
    assert "dang-ky-khai-sinh" in [c for c, _ in procedure_links(section)]
    assert "Cam kết: 24 giờ làm việc" in text(section)
    # The site's menu leads here.
    assert "/thu-tuc" in doc.xpath("//nav[contains(@class,'site-nav')]//a/@href")
    assert doc.xpath("//select[@name='linh-vuc']/option[@value='ho-tich']")


def test_a_procedure_page_tells_a_citizen_what_to_bring_pay_and_wait(anon):
    r, doc = anon.page("/thu-tuc/xac-nhan-thong-tin-ho-tich")
    check_page(r)
    assert squash(doc.xpath("//h1")[0].text_content()) == "Xác nhận thông tin hộ tịch"
    t = text(doc.xpath("//main")[0])
    assert "3 ngày làm việc" in t and "không quá 10 ngày làm việc" in t
    promise = text(doc.xpath("//*[contains(@class,'promise')]")[0])
    assert "24 giờ làm việc" in promise and "Phường 9" in promise
    rows = [[squash(td.text_content()) for td in tr.xpath("td")]
            for tr in doc.xpath("//table[contains(@class,'documents')]//tbody/tr")]
    assert rows[0] == ["1", "Tờ khai xác nhận thông tin hộ tịch theo mẫu", "1"], rows
    assert rows[1][1].startswith("Giấy tờ tùy thân") and "Xuất trình" in rows[1][1]
    assert "8.000 đồng" in t and "Văn bản xác nhận thông tin hộ tịch" in t
    assert "Luật Hộ tịch số 60/2014/QH13" in t and "01/01/2016" in t
    assert "Ủy ban nhân dân cấp xã" in t and "Dịch vụ công trực tuyến một phần" in t
    # A phone-sized, printable page: the print sheet hides the menus, no script needed.
    assert not doc.xpath("//script")
    assert doc.xpath("//link[@rel='stylesheet'][@media='print']")


def test_same_day_procedures_say_the_15_oclock_rule_and_have_no_promise(anon):
    r, doc = anon.page("/thu-tuc/chung-thuc-ban-sao")
    check_page(r)
    t = text(doc.xpath("//main")[0])
    assert "Trong ngày (nhận trước 15 giờ)" in t
    assert "sau 15 giờ được trả trong ngày làm việc tiếp theo" in t
    assert not doc.xpath("//*[contains(@class,'promise')]")
    assert "2.000 đồng/trang" in t and "10/04/2015" in t


def test_unconfirmed_facts_are_marked_not_stated(anon):
    r, doc = anon.page("/thu-tuc/dang-ky-thuong-tru")
    note = text(doc.xpath("//main//*[contains(@class,'notice')]")[0])
    assert "Chưa xác nhận" in note and "07 ngày làm việc" in note


@pytest.mark.parametrize("typed", ["chung thuc", "CHỨNG THỰC", "Chứng thực", "chứng  thực!"])
def test_search_ignores_tone_marks_and_case(anon, typed):
    r, doc = anon.page("/thu-tuc", params={"q": typed})
    check_page(r)
    codes = [c for c, _ in procedure_links(doc)]
    assert {"chung-thuc-ban-sao", "chung-thuc-chu-ky", "chung-thuc-hop-dong"} <= set(codes)
    assert "dang-ky-thuong-tru" not in codes
    assert doc.xpath("//input[@name='q']/@value") == [typed]


def test_search_by_national_code_and_by_field(anon):
    r, doc = anon.page("/thu-tuc?q=1.001193")
    assert [c for c, _ in procedure_links(doc)] == ["dang-ky-khai-sinh"]
    r, doc = anon.page("/thu-tuc?linh-vuc=ho-tich")
    codes = [c for c, _ in procedure_links(doc)]
    assert "dang-ky-khai-sinh" in codes and "chung-thuc-ban-sao" not in codes
    assert group_names(doc) == ["Hộ tịch"]
    # Both at once; a word in the name ranks above one in the documents or the result.
    r, doc = anon.page("/thu-tuc?q=ban+sao&linh-vuc=ho-tich")
    codes = [c for c, _ in procedure_links(doc)]
    assert codes[0] == "cap-ban-sao-trich-luc-ho-tich" and "dang-ky-khai-sinh" in codes
    assert not [c for c in codes if c.startswith("chung-thuc")]
    r, doc = anon.page("/thu-tuc?q=khong+co+thu+tuc+nao+nhu+vay")
    check_page(r)
    assert procedure_links(doc) == [] and "Không tìm thấy" in text(doc)
    assert anon.get("/thu-tuc", params={"q": "x" * 201}).status_code == 400


def test_catalogue_and_procedure_as_json(anon):
    model = check_json(anon.get("/thu-tuc.json"))
    codes = {p["code"] for g in model["groups"] for p in g["procedures"]}
    assert set(DEMO_CODES) <= codes
    assert check_json(anon.get("/thu-tuc", headers=JSON)) == model
    p = check_json(anon.get("/thu-tuc/dang-ky-khai-sinh.json"))["procedure"]
    assert p["national_code"] == "1.001193" and p["field"] == "Hộ tịch"
    assert p["legal_time"] == {"words": "Trong ngày (nhận trước 15 giờ)", "kind": "same_day",
                               "amount": 0, "is_same_day": True}
    assert p["documents"][0] == {"name": "Tờ khai đăng ký khai sinh theo mẫu", "copies": 1,
                                 "note": ""}
    assert p["fee_amount"] == 0 and p["version"] == 1 and p["basis_effective"] == "2016-01-01"
    p = check_json(anon.get("/thu-tuc/thay-doi-cai-chinh-ho-tich", headers=JSON))["procedure"]
    assert p["fee_amount"] is None and p["promise"]["words"] == "24 giờ làm việc"
    assert not [k for k in p if "password" in k or k == "csrf"]
    r = anon.get("/thu-tuc/khong-co-thu-tuc.json")
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/thu-tuc/khong-co", "/thu-tuc/DANG-KY-KHAI-SINH",
                                  "/thu-tuc/a%20b", "/thu-tuc/moi"])
def test_unknown_procedure_is_404(anon, path):
    r = anon.get(path)
    assert r.status_code == 404 and is_vietnamese(text(r.content))


def test_catalogue_pages_are_kept_for_visitors(anon):
    anon.get("/thu-tuc/dang-ky-ket-hon")
    assert anon.get("/thu-tuc/dang-ky-ket-hon").headers.get("X-Cache") == "HIT"
    assert "X-Cache" not in anon.get("/thu-tuc?q=ket+hon").headers


def test_english_interface_around_vietnamese_procedures(anon):
    anon.get("/ngon-ngu/en?next=/thu-tuc")
    r, doc = anon.page("/thu-tuc/dang-ky-khai-sinh")
    check_page(r, lang="en")
    t = text(doc)
    assert "Required documents" in t and "Đăng ký khai sinh" in t
    anon.get("/ngon-ngu/vi?next=/")


# ---- the back office ------------------------------------------------------------------

NEW = {"code": "cap-giay-xac-nhan-cu-tru", "name": "Xác nhận thông tin về cư trú",
       "field": "Đăng ký, quản lý cư trú", "national_code": "",
       "documents": "Tờ khai thay đổi thông tin cư trú | 1\nGiấy tờ tùy thân | 1 | xuất trình",
       "legal_kind": "working_days", "legal_amount": "3", "promise_kind": "working_hours",
       "promise_amount": "16", "time_note": "", "fee_amount": "0", "fee_text": "",
       "online_level": "toan_trinh", "result": "Giấy xác nhận thông tin về cư trú.",
       "office": "Công an cấp xã", "legal_basis": "Luật Cư trú số 68/2020/QH14.",
       "basis_document": "Luật Cư trú 68/2020/QH14", "basis_effective": "2021-07-01",
       "note": ""}


@pytest.fixture(scope="module")
def admin(module_server):
    return module_server.client(login="admin")


@pytest.fixture(scope="module")
def editor(module_server):
    return module_server.client(login="editor")


def counts(db):
    return (db.value("SELECT count(*) FROM procedure"),
            db.value("SELECT count(*) FROM procedure_version"),
            db.value("SELECT count(*) FROM audit_log"))


def create(admin, **changes):
    """POSTs the new-procedure form with NEW's values and changes; returns the response."""
    token = admin.csrf_from("/quan-tri/thu-tuc/moi", "/quan-tri/thu-tuc")
    return admin.post("/quan-tri/thu-tuc", dict(NEW, csrf=token, **changes))


def edit_fields(admin, code):
    r, doc = admin.page("/quan-tri/thu-tuc/%s" % code)
    assert r.status_code == 200, r.status_code
    fields = form_fields(form_with(doc, "legal_basis"))
    fields["csrf"] = admin.csrf(doc, "/quan-tri/thu-tuc/%s" % code)
    return fields


def test_admin_creates_a_procedure_and_editing_adds_a_version(module_server, admin):
    db = module_server.db
    r, doc = admin.page("/quan-tri/thu-tuc/moi")
    check_page(r)
    r = create(admin)
    assert r.status_code == 303, squash(text(r.content))[:300]
    assert r.headers["Location"].endswith("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru")
    visitor = module_server.client()
    r, doc = visitor.page("/thu-tuc/cap-giay-xac-nhan-cu-tru")
    check_page(r)
    assert "Không thu phí" in text(doc) and "16 giờ làm việc" in text(doc)
    assert "cap-giay-xac-nhan-cu-tru" in [c for c, _ in procedure_links(visitor.page("/thu-tuc")[1])]

    # The editor shows what was saved; saving it unchanged adds no version.
    fields = edit_fields(admin, "cap-giay-xac-nhan-cu-tru")
    assert fields["documents"].splitlines() == ["Tờ khai thay đổi thông tin cư trú | 1",
                                                "Giấy tờ tùy thân | 1 | xuất trình"]
    assert fields["legal_kind"] == "working_days" and fields["promise_amount"] == "16"
    before = counts(db)
    assert admin.post("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru", fields).status_code == 303
    assert counts(db) == before

    old_row = db.rows("SELECT * FROM procedure_version WHERE version = 1 AND procedure_id ="
                      " (SELECT id FROM procedure WHERE code = 'cap-giay-xac-nhan-cu-tru')")
    fields.update(fee_amount="", fee_text="Theo mức do Hội đồng nhân dân tỉnh quy định.",
                  promise_kind="", promise_amount="", code="doi-ma-khong-duoc")
    r = admin.post("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru", fields)
    assert r.status_code == 303, squash(text(r.content))[:300]
    r, doc = visitor.page("/thu-tuc/cap-giay-xac-nhan-cu-tru")
    t = text(doc)
    assert "Theo mức do Hội đồng nhân dân tỉnh quy định." in t and "16 giờ" not in t
    assert "Phiên bản 2" in t
    assert visitor.get("/thu-tuc/doi-ma-khong-duoc").status_code == 404  # a code stays

    # Version 1 is kept as it was and still readable in the back office.
    assert db.rows("SELECT * FROM procedure_version WHERE version = 1 AND procedure_id ="
                   " (SELECT id FROM procedure WHERE code = 'cap-giay-xac-nhan-cu-tru')") == old_row
    r, doc = admin.page("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru/phien-ban")
    check_page(r)
    versions = [squash(td.text_content()) for td in doc.xpath("//tbody/tr/td[1]")]
    assert versions[0].startswith("2") and "đang áp dụng" in versions[0] and versions[1] == "1"
    r, doc = admin.page("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru/phien-ban/1")
    check_page(r)
    assert "Không thu phí" in text(doc) and "16 giờ làm việc" in text(doc)
    assert admin.get("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru/phien-ban/3").status_code == 404
    assert admin.get("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru/phien-ban/x").status_code == 404
    model = check_json(admin.get("/quan-tri/thu-tuc/cap-giay-xac-nhan-cu-tru/phien-ban/1.json"))
    assert model["procedure"]["fee_amount"] == 0 and model["procedure"]["version"] == 1

    actions = [r["action"] for r in db.rows(
        "SELECT action FROM audit_log WHERE object_type = 'procedure' ORDER BY id")]
    assert actions[-2:] == ["procedure.create", "procedure.update"]


def test_a_code_may_be_left_empty_and_is_made_from_the_name(admin):
    r = create(admin, code="", name="Đăng ký giám hộ")
    assert r.status_code == 303 and r.headers["Location"].endswith("/quan-tri/thu-tuc/dang-ky-giam-ho")


@pytest.mark.parametrize("changes,message", [
    ({"name": ""}, "tên thủ tục"),
    ({"field": " "}, "lĩnh vực"),
    ({"documents": ""}, "thành phần hồ sơ"),
    ({"documents": "Tờ khai | 0"}, "số bản"),
    ({"documents": "[{\"name\": 1}]"}, "Giấy tờ thứ 1"),
    ({"legal_amount": "0"}, "Số ngày làm việc"),
    ({"legal_amount": "ba"}, "Thời hạn giải quyết"),
    ({"legal_kind": "weeks"}, "cách tính thời hạn"),
    ({"promise_amount": "25"}, "ngắn hơn thời hạn theo quy định"),
    ({"promise_kind": "working_days"}, "ngắn hơn thời hạn theo quy định"),
    ({"legal_kind": "same_day", "legal_amount": "", "promise_amount": "2"}, "ngắn hơn"),
    ({"fee_amount": "-5"}, "Mức phí"),
    ({"fee_amount": "", "fee_text": ""}, "mức phí"),
    ({"online_level": "muc_do_4"}, "trực tuyến"),
    ({"basis_effective": "2021-02-30"}, "hiệu lực"),
    ({"national_code": "1.001193<script>"}, "Mã thủ tục quốc gia"),
    ({"code": "Có dấu"}, "Mã thủ tục"),
    ({"code": "moi"}, "Mã thủ tục"),
    ({"code": "dang-ky-khai-sinh"}, "đã có"),
    ({"result": ""}, "kết quả"),
    ({"office": ""}, "cơ quan thực hiện"),
    ({"name": "x" * 401}, "tên thủ tục"),
])
def test_bad_input_is_refused_and_nothing_is_written(module_server, admin, changes, message):
    before = counts(module_server.db)
    r = create(admin, **dict({"code": "thu-tuc-loi"}, **changes))
    assert r.status_code == 422, (changes, r.status_code)
    error = text(form_error(r))
    assert message.lower() in error.lower(), (changes, error)
    assert is_vietnamese(error)
    assert counts(module_server.db) == before
    # The form comes back with what was typed.
    fields = form_fields(form_with(parse_doc(r), "legal_basis"))
    assert fields["name"] == changes.get("name", NEW["name"])


def form_error(r):
    found = parse_doc(r).xpath("//*[@role='alert']")
    assert found, "no error message on the page"
    return found[0]


def parse_doc(r):
    from util import parse
    return parse(r.content)


def test_bad_edit_is_refused_and_adds_no_version(module_server, admin):
    db = module_server.db
    fields = edit_fields(admin, "dang-ky-khai-tu")
    before = counts(db)
    fields.update(legal_kind="working_days", legal_amount="3", promise_kind="working_days",
                  promise_amount="3")
    r = admin.post("/quan-tri/thu-tuc/dang-ky-khai-tu", fields)
    assert r.status_code == 422 and "ngắn hơn" in text(form_error(r))
    assert counts(db) == before
    assert admin.post("/quan-tri/thu-tuc/khong-co", fields).status_code == 404


def test_deactivated_procedure_leaves_the_public_catalogue(module_server, admin):
    visitor = module_server.client()
    token = admin.csrf_from("/quan-tri/thu-tuc/dang-ky-tam-tru", "/ngung-ap-dung")
    r = admin.post("/quan-tri/thu-tuc/dang-ky-tam-tru/ngung-ap-dung", {"csrf": token})
    assert r.status_code == 303
    assert visitor.get("/thu-tuc/dang-ky-tam-tru").status_code == 404
    assert "dang-ky-tam-tru" not in [c for c, _ in procedure_links(visitor.page("/thu-tuc")[1])]
    assert "dang-ky-tam-tru" not in [c for c, _ in procedure_links(
        visitor.page("/thu-tuc?q=tam+tru")[1])]
    r, doc = admin.page("/quan-tri/thu-tuc")
    row = [tr for tr in doc.xpath("//tbody/tr") if "dang-ky-tam-tru" in text(tr)][0]
    assert "Ngừng áp dụng" in text(row)
    token = admin.csrf_from("/quan-tri/thu-tuc/dang-ky-tam-tru", "/ap-dung-lai")
    assert admin.post("/quan-tri/thu-tuc/dang-ky-tam-tru/ap-dung-lai", {"csrf": token}
                      ).status_code == 303
    assert visitor.get("/thu-tuc/dang-ky-tam-tru").status_code == 200
    actions = [r["action"] for r in module_server.db.rows(
        "SELECT action FROM audit_log WHERE object_type = 'procedure' ORDER BY id")]
    assert actions[-2:] == ["procedure.deactivate", "procedure.activate"]


def test_editor_may_not_manage_procedures(module_server, editor, admin):
    before = counts(module_server.db)
    for path in ("/quan-tri/thu-tuc", "/quan-tri/thu-tuc/moi", "/quan-tri/thu-tuc/dang-ky-ket-hon",
                 "/quan-tri/thu-tuc/dang-ky-ket-hon/phien-ban",
                 "/quan-tri/thu-tuc/dang-ky-ket-hon/phien-ban/1"):
        r = editor.get(path)
        assert r.status_code == 403, (path, r.status_code)
        assert is_vietnamese(text(r.content))
    token = editor.csrf_from("/quan-tri/bai-viet/moi")
    fields = dict(NEW, csrf=token, code="cua-bien-tap-vien")
    for path in ("/quan-tri/thu-tuc", "/quan-tri/thu-tuc/dang-ky-ket-hon",
                 "/quan-tri/thu-tuc/dang-ky-ket-hon/ngung-ap-dung"):
        assert editor.post(path, fields).status_code == 403, path
    assert counts(module_server.db) == before
    hrefs = editor.page("/quan-tri")[1].xpath("//nav[contains(@class,'admin-nav')]//a/@href")
    assert "/quan-tri/thu-tuc" not in hrefs
    hrefs = admin.page("/quan-tri")[1].xpath("//nav[contains(@class,'admin-nav')]//a/@href")
    assert "/quan-tri/thu-tuc" in hrefs


@pytest.mark.parametrize("token", [None, "", "x" * 64])
def test_writes_need_the_csrf_token(module_server, admin, token):
    before = counts(module_server.db)
    data = dict(NEW, code="khong-co-token")
    if token is not None:
        data["csrf"] = token
    for path, form in (("/quan-tri/thu-tuc", data),
                       ("/quan-tri/thu-tuc/dang-ky-ket-hon", dict(data, fee_amount="99")),
                       ("/quan-tri/thu-tuc/dang-ky-ket-hon/ngung-ap-dung", {"csrf": token or ""})):
        r = admin.post(path, form)
        assert r.status_code == 403, (path, r.status_code)
    assert counts(module_server.db) == before
    assert module_server.client().get("/thu-tuc/dang-ky-ket-hon").status_code == 200

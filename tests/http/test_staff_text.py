"""Staff text is cleaned wherever staff type it (issue 9, item 7): a control character (ESC,
BEL, C1) or a bidirectional override in a dossier's note, a news category, a procedure's
name or a unit's name is refused with a Vietnamese message and nothing is written; accounts
and the command line have their tests in test_permissions.py and test_cli.py."""
import pytest

from test_dossiers import intake, office, post_step  # noqa: F401 (fixture)
from test_procedures import edit_fields
from util import text

HOSTILE = ["Đã nhận \x1b[2J\x1b[Hxong", "Chuông\x07reo", "C1\u009bx", "Ghi \u202echú",
           "Cô lập \u2066x\u2069"]


@pytest.mark.parametrize("note", HOSTILE)
def test_a_dossier_note_with_controls_is_refused(office, note):
    s = office["server"]
    _, code = intake(office["clerk"])
    specialist = office["specialist"]
    token = specialist.csrf_from("/quan-tri/ho-so/%s" % code)
    r = specialist.post("/quan-tri/ho-so/%s/nhan-xu-ly" % code, {"csrf": token, "note": note})
    assert r.status_code == 422 and "Ghi chú" in text(r.content), r.status_code
    assert s.db.value("SELECT status FROM dossier WHERE code = '%s'" % code) == "received"
    # The same step with a plain note goes through.
    assert post_step(specialist, code, "nhan-xu-ly").status_code == 303


@pytest.mark.parametrize("name", HOSTILE)
def test_a_category_or_procedure_name_with_controls_is_refused(office, name):
    s = office["server"]
    admin = s.client(login="admin")
    before = s.db.value("SELECT count(*) FROM category")
    token = admin.csrf_from("/quan-tri/chuyen-muc")
    r = admin.post("/quan-tri/chuyen-muc", {"csrf": token, "name": name})
    assert r.status_code == 422, r.status_code
    assert s.db.value("SELECT count(*) FROM category") == before
    versions = s.db.value("SELECT count(*) FROM procedure_version")
    fields = edit_fields(admin, "dang-ky-khai-sinh")
    r = admin.post("/quan-tri/thu-tuc/dang-ky-khai-sinh", dict(fields, name=name))
    assert r.status_code == 422, r.status_code
    assert s.db.value("SELECT count(*) FROM procedure_version") == versions

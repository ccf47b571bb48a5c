"""A multipart file whose filename is not clean text (a NUL, invalid UTF-8, a control
byte) refuses the whole online submission with a clear 400, and stores nothing; the file
is never silently dropped while the dossier is accepted (issue 9, item 9)."""
import secrets

import pytest

from test_dossiers import ONLINE, PDF, online_form
from util import parse, squash, text


def multipart(fields, filename, body=PDF, content_type=b"application/pdf"):
    boundary = "----phuong" + secrets.token_hex(8)
    out = b""
    for name, value in fields.items():
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                % (boundary, name, value)).encode()
    out += (b"--%s\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"" % boundary.encode()
            + filename + b"\"\r\nContent-Type: " + content_type + b"\r\n\r\n" + body + b"\r\n")
    out += b"--%s--\r\n" % boundary.encode()
    return out, "multipart/form-data; boundary=%s" % boundary


@pytest.mark.parametrize("filename", [b"to\x00khai.pdf", b"to\xffkhai.pdf", b"to\x1b[2Jkhai.pdf",
                                      b"to\x7fkhai.pdf", b"\xc0\xafto-khai.pdf"])
def test_a_bad_file_name_refuses_the_whole_submission(module_server, filename):
    s = module_server
    citizen = s.client()
    data = online_form(citizen)
    before = s.db.value("SELECT count(*) FROM dossier")
    files_before = s.db.value("SELECT count(*) FROM dossier_file")
    body, content_type = multipart(data, filename)
    r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, body,
                     headers={"Content-Type": content_type})
    assert r.status_code == 400, (r.status_code, squash(r.text)[-300:])
    assert "Tên tệp" in text(parse(r.content)), squash(r.text)[-400:]
    assert s.db.value("SELECT count(*) FROM dossier") == before
    assert s.db.value("SELECT count(*) FROM dossier_file") == files_before


def test_a_clean_vietnamese_file_name_is_kept(module_server):
    s = module_server
    citizen = s.client()
    body, content_type = multipart(online_form(citizen), "Tờ khai khai sinh.pdf".encode())
    r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, body,
                     headers={"Content-Type": content_type})
    assert r.status_code == 201, squash(r.text)[-300:]
    code = squash(text(parse(r.content).xpath("//*[@id='dossier-code']")[0]))
    rows = s.db.rows("SELECT f.name FROM dossier_file f JOIN dossier d ON d.id = f.dossier_id"
                     " WHERE d.code = '%s'" % code)
    assert [x["name"] for x in rows] == ["Tờ khai khai sinh.pdf"]


def test_an_empty_file_input_as_browsers_send_it_is_no_file(module_server):
    s = module_server
    citizen = s.client()
    body, content_type = multipart(online_form(citizen), b"", b"", b"application/octet-stream")
    r = citizen.post("/thu-tuc/%s/nop-truc-tuyen" % ONLINE, body,
                     headers={"Content-Type": content_type})
    assert r.status_code == 201, squash(r.text)[-300:]

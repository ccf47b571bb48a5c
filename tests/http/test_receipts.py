"""Signed receipts: each unit's Ed25519 key (`phuong receipt key`), payloads signed with
it (the hidden `phuong receipt sign`), checked offline (`phuong receipt verify`) and on
the public page /kiem-tra-bien-nhan, which tells a genuine receipt from a changed one or
another unit's."""
import re
import shutil
import subprocess

import pytest

from conftest import Client, phuong
from util import parse, squash

HOST_B = "xa-binh-an.test"
DUE = "2026-12-01T16:30+07:00"


@pytest.fixture(scope="module")
def s(module_server):
    module_server.db.run("INSERT INTO unit (id, code, name, created_at) "
                         "VALUES (2, 'XBA', 'Xã Bình An', 0)")
    module_server.db.run("INSERT INTO unit_host (host, unit_id) VALUES ('%s', 2)" % HOST_B)
    return module_server


def key(s, *unit):
    r = phuong("receipt", "key", *unit, "--data", s.data)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"[0-9a-f]{64}\n", r.stdout)
    return r.stdout.strip()


def sign(s, code="P9-2026-000123", procedure="dang-ky-khai-sinh", due=DUE, unit=()):
    r = phuong("receipt", "sign", *unit, "--code", code, "--procedure", procedure,
               "--due", due, "--data", s.data)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def check(client, payload):
    r, doc = client.page("/kiem-tra-bien-nhan", params={"p": payload})
    assert r.status_code == 200
    result = doc.xpath('//*[@id="ket-qua"]/@data-result')
    return (result[0] if result else None), squash(" ".join(doc.xpath("//main//text()")))


def test_key_is_stable_and_per_unit(s):
    first = key(s)
    assert key(s) == first
    other = key(s, "--unit", "XBA")
    assert other != first
    assert key(s, "--unit", "XBA") == other
    assert key(s, "--unit", "1") == first
    rows = s.db.rows("SELECT unit_id, public_key FROM unit_key ORDER BY unit_id")
    assert [(r["unit_id"], r["public_key"]) for r in rows] == [("1", first), ("2", other)]
    r = phuong("receipt", "key", "--unit", "KHONG-CO", "--data", s.data)
    assert r.returncode == 2 and "KHONG-CO" in r.stderr


def test_verify_cli_round_trip(s):
    public = key(s)
    payload = sign(s)
    assert payload.startswith("PHUONG1|P9-2026-000123|dang-ky-khai-sinh|%s|" % DUE)
    r = phuong("receipt", "verify", payload, "--public-key", public)  # no database
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ("genuine\ndossier: P9-2026-000123\nprocedure: dang-ky-khai-sinh\n"
                        "appointment: %s\n" % DUE)
    for tampered in [payload.replace("000123", "000124"),
                     payload.replace("khai-sinh", "khai-tu"),
                     payload.replace("2026-12-01", "2026-12-08")]:
        r = phuong("receipt", "verify", tampered, "--public-key", public)
        assert r.returncode == 1 and r.stdout.startswith("not genuine: tampered"), tampered
    r = phuong("receipt", "verify", payload[:-5], "--public-key", public)
    assert r.returncode == 1 and r.stdout.startswith("not genuine: bad signature")
    r = phuong("receipt", "verify", "PHUONG1|chi|co|ba", "--public-key", public)
    assert r.returncode == 1 and r.stdout.startswith("not genuine: bad format")
    # another unit's key does not vouch for this unit's receipt
    r = phuong("receipt", "verify", payload, "--public-key", key(s, "--unit", "XBA"))
    assert r.returncode == 1 and "tampered" in r.stdout
    assert phuong("receipt", "verify", payload, "--public-key", "abc").returncode == 2
    r = phuong("receipt", "sign", "--code", "A|B", "--procedure", "x", "--due", DUE,
               "--data", s.data)
    assert r.returncode == 2


def test_public_page_tells_genuine_from_tampered(s):
    public = key(s)
    payload = sign(s)
    anon = Client(s)
    r, doc = anon.page("/kiem-tra-bien-nhan")
    assert r.status_code == 200
    assert doc.xpath('//form[@action="/kiem-tra-bien-nhan"]//textarea[@name="p"]')
    assert public in doc.xpath('string(//code[@class="public-key"])')
    result, page = check(anon, payload)
    assert result == "genuine"
    assert "P9-2026-000123" in page and "dang-ky-khai-sinh" in page
    assert "16:30 ngày 01/12/2026" in page
    # blanks a scanner adds around the text do not matter
    assert check(anon, "  %s\n" % payload)[0] == "genuine"
    result, page = check(anon, payload.replace("2026-12-01", "2026-12-08"))
    assert result == "not-genuine" and "KHÔNG hợp lệ" in page
    assert check(anon, "không phải biên nhận")[0] == "not-genuine"
    assert check(anon, payload[:-3])[0] == "not-genuine"
    # unit 2's page checks against unit 2's key: unit 1's receipt is not genuine there
    b = Client(s, host=HOST_B)
    key(s, "--unit", "XBA")
    assert check(b, payload)[0] == "not-genuine"
    assert check(b, sign(s, unit=("--unit", "XBA")))[0] == "genuine"
    # the same answer as JSON
    r = anon.get("/kiem-tra-bien-nhan", params={"p": payload},
                 headers={"Accept": "application/json"})
    assert r.status_code == 200
    model = r.json()
    assert model["public_key"] == public
    assert model["check"]["genuine"] is True
    assert model["check"]["fields"]["appointment"] == DUE


def test_page_of_a_unit_without_a_key(fresh):
    anon = Client(fresh)
    r, doc = anon.page("/kiem-tra-bien-nhan")
    assert r.status_code == 200
    assert not doc.xpath('//code[@class="public-key"]')
    assert "chưa cấp biên nhận" in squash(" ".join(doc.xpath("//main//text()")))
    assert fresh.db.value("SELECT count(*) FROM unit_key") == "0"  # the page writes nothing


@pytest.mark.skipif(not (shutil.which("rsvg-convert") and shutil.which("zbarimg")),
                    reason="needs rsvg-convert (librsvg2-bin) and zbarimg (zbar-tools)")
def test_qr_code_decodes_to_the_payload(s, tmp_path):
    payload = sign(s)
    r = phuong("receipt", "qr", payload)
    assert r.returncode == 0, r.stderr
    svg = tmp_path / "receipt.svg"
    svg.write_text(r.stdout, encoding="utf-8")
    png = tmp_path / "receipt.png"
    subprocess.run(["rsvg-convert", "-w", "400", "-h", "400", "-o", png, svg], check=True,
                   timeout=60)
    r = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == payload

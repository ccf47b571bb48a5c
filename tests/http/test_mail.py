"""phuong mail test ADDRESS: a Vietnamese test message through SMTP (libcurl) into a
local sink; headers safe and decodable, the body back as sent."""
import email
import email.policy
import time

from conftest import free_port, phuong
from smtp_sink import SmtpSink


def config(tmp_path, smtp_url, sender="mot-cua@phuong9.example.vn"):
    path = tmp_path / "phuong.ini"
    path.write_text("[site]\nsite_name = Ủy ban nhân dân Phường 9\n"
                    "[mail]\nsmtp_url = %s\nmail_from = %s\n" % (smtp_url, sender),
                    encoding="utf-8")
    return path


def test_mail_test_reaches_the_sink(tmp_path):
    with SmtpSink(tmp_path / "inbox") as sink:
        ini = config(tmp_path, "smtp://127.0.0.1:%d" % sink.port)
        r = phuong("mail", "test", "nguoi-dan@example.vn", "--config", ini, timeout=30)
        assert r.returncode == 0, r.stderr
        messages = sink.messages()
        assert len(messages) == 1
        assert sink.envelopes[0] == {"from": "<mot-cua@phuong9.example.vn>",
                                     "to": ["<nguoi-dan@example.vn>"]}
    raw = messages[0]
    assert raw.isascii()  # quoted-printable body, encoded-word subject
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "Subject: =?UTF-8?B?" in head
    assert "Content-Type: text/plain; charset=UTF-8" in head
    assert "Content-Transfer-Encoding: quoted-printable" in head
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["From"].addresses[0].addr_spec == "mot-cua@phuong9.example.vn"
    assert msg["To"].addresses[0].addr_spec == "nguoi-dan@example.vn"
    assert msg["Subject"] == "Thư thử nghiệm từ cổng thông tin Ủy ban nhân dân Phường 9"
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@phuong9.example.vn>")
    assert abs(msg["Date"].datetime.timestamp() - time.time()) < 120
    assert msg["Date"].datetime.utcoffset().total_seconds() == 7 * 3600
    assert msg.get_content_charset() == "utf-8"
    body = msg.get_content().replace("\r\n", "\n")
    assert body.startswith("Xin chào,\n\nĐây là thư thử nghiệm")
    assert "cấu hình gửi thư của Ủy ban nhân dân Phường 9 đã đúng" in body


def test_unreachable_server_fails_within_the_timeout(tmp_path):
    ini = config(tmp_path, "smtp://127.0.0.1:%d" % free_port())
    started = time.monotonic()
    r = phuong("mail", "test", "nguoi-dan@example.vn", "--config", ini, timeout=30)
    assert r.returncode == 1
    assert "không gửi được" in r.stderr
    assert time.monotonic() - started < 12


def test_bad_addresses_and_missing_settings_are_refused(tmp_path):
    with SmtpSink(tmp_path / "inbox") as sink:
        ini = config(tmp_path, "smtp://127.0.0.1:%d" % sink.port)
        for bad in ["a@b.vn\r\nBcc: x@y.vn", "Ông A <a@b.vn>", "a@b.vn,c@d.vn", "khong-co-a-cong"]:
            r = phuong("mail", "test", bad, "--config", ini)
            assert r.returncode == 2, bad
        ini = config(tmp_path, "smtp://127.0.0.1:%d" % sink.port, sender="x@y.vn\nBcc: z@w.vn")
        assert phuong("mail", "test", "a@b.vn", "--config", ini).returncode == 2
        assert phuong("mail", "test", "a@b.vn").returncode == 2  # no smtp_url
        assert sink.messages() == []

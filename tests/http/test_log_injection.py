"""Log injection: a request whose path or header carries LF, CR or ESC writes one escaped
log line, never a forged line nor raw terminal escapes (issue 9, item 6)."""
import socket
import time

from conftest import TIMEOUT


def raw_get(server, target):
    with socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk


def test_path_with_newline_and_escape_is_one_escaped_line(fresh):
    forged = b"/x%0a2026-01-01T00:00:00Z info GET /quan-tri 200 0 1.0ms%0d%1b[2J%1b]0;pwned%07"
    answer = raw_get(fresh, forged)
    assert answer.startswith(b"HTTP/1.1 4"), answer[:200]
    deadline = time.monotonic() + 5
    while b"pwned" not in fresh.stderr_path.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = fresh.stderr_path.read_bytes()
    assert b"pwned" in log, log[-2000:]
    assert b"\x1b" not in log and b"\x07" not in log and b"\r" not in log
    lines = [line for line in log.split(b"\n") if b"/quan-tri 200" in line]
    access = [line for line in lines if b"pwned\\x07 400 " in line]
    assert access, lines
    assert b"GET /x\\x0a2026-01-01T00:00:00Z info GET /quan-tri 200" in access[0], access[0]
    assert b"\\x1b[2J" in access[0] and b"pwned\\x07 400" in access[0], access[0]
    assert not any(line.startswith(b"2026-01-01T00:00:00Z") for line in log.split(b"\n"))

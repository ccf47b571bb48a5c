"""A body over the limit is answered 413 at once and the connection closed (issue 9,
item 11): when Content-Length says so, before any of the body is read and without
"100 Continue"; for a chunked body, as soon as it passes the limit. Raw sockets, so the
test sees what was sent and when."""
import socket
import time

LIMIT = 12 * 1024 * 1024  # HTTP_MAX_UPLOAD_BYTES


def connect(server):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    return s


def read_answer(s, seconds=10):
    """Everything the server sends until it closes (a reset counts as closing); returns
    (bytes, closed)."""
    s.settimeout(seconds)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data, True
            data += chunk
    except ConnectionResetError:
        return data, True
    except socket.timeout:
        return data, False


def head(length, extra=b""):
    return (b"POST /quan-tri/dang-nhap HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=XyZ\r\n" + extra +
            (b"Content-Length: %d\r\n" % length if length is not None else b"") + b"\r\n")


def test_a_declared_200_mib_body_is_refused_before_it_is_sent(demo):
    with connect(demo) as s:
        started = time.monotonic()
        s.sendall(head(200 * 1024 * 1024) + b"--XyZ\r\n" + b"x" * 1000)
        data, closed = read_answer(s)
        assert data.startswith(b"HTTP/1.1 413"), data[:200]
        assert closed, "the connection stays open after the 413"
        assert time.monotonic() - started < 5
        assert "quá lớn".encode() in data


def test_expect_100_continue_with_1_gb_gets_413_not_continue(demo):
    with connect(demo) as s:
        s.sendall(head(1000 * 1000 * 1000, b"Expect: 100-continue\r\n"))
        data, closed = read_answer(s)
        assert data.startswith(b"HTTP/1.1 413"), data[:200]
        assert b"100 Continue" not in data
        assert closed


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(demo):
    with connect(demo) as s:
        s.sendall(head(None, b"Transfer-Encoding: chunked\r\n"))
        chunk = b"%x\r\n" % (256 * 1024) + b"x" * (256 * 1024) + b"\r\n"
        sent, data, pending = 0, b"", b""
        s.setblocking(False)
        deadline = time.monotonic() + 30
        while sent < 40 * 1024 * 1024 and time.monotonic() < deadline:
            try:
                data += s.recv(65536)
                break  # an answer, or the end
            except BlockingIOError:
                pass
            except ConnectionResetError:
                break
            try:
                pending = pending or chunk
                n = s.send(pending)
                pending = pending[n:]
                sent += n
            except BlockingIOError:
                time.sleep(0.01)
            except (BrokenPipeError, ConnectionResetError):
                break
        s.setblocking(True)
        rest, closed = read_answer(s)
        data += rest
        assert data.startswith(b"HTTP/1.1 413"), (sent, data[:200])
        assert closed
        # Sent: the limit, plus what the socket buffers held when the answer came.
        assert sent < LIMIT + 8 * 1024 * 1024, sent

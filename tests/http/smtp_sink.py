"""A tiny SMTP server for the tests (Python's standard library only): accepts every
message on 127.0.0.1 and writes each one, as received after DATA (dot-stuffing undone),
to FOLDER/NNNN.eml. No TLS, no authentication.

In a test:   with SmtpSink(folder) as sink: ... sink.port ... sink.messages()
By hand:     python3 tests/http/smtp_sink.py FOLDER [PORT]
"""
import socketserver
import sys
import threading
from pathlib import Path

MAX_MESSAGE = 4 * 1024 * 1024


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sink = self.server.sink
        self.reply("220 smtp-sink ready")
        envelope = {"from": None, "to": []}
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            command = line.decode("ascii", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-smtp-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n")
                self.reply("250 SIZE %d" % MAX_MESSAGE)
            elif verb == "HELO":
                self.reply("250 smtp-sink")
            elif command.upper().startswith("MAIL FROM:"):
                envelope = {"from": command[10:].strip(), "to": []}
                self.reply("250 OK")
            elif command.upper().startswith("RCPT TO:"):
                envelope["to"].append(command[8:].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                if envelope["from"] is None or not envelope["to"]:
                    self.reply("503 need MAIL and RCPT first")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                size = 0
                while True:
                    data = self.rfile.readline(MAX_MESSAGE)
                    if not data:
                        return
                    if data in (b".\r\n", b".\n"):
                        break
                    if data.startswith(b"."):
                        data = data[1:]
                    size += len(data)
                    lines.append(data)
                if size > MAX_MESSAGE:
                    self.reply("552 too large")
                    continue
                sink.store(envelope, b"".join(lines))
                self.reply("250 OK queued")
            elif verb == "RSET":
                envelope = {"from": None, "to": []}
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpSink:
    """The sink on a free loopback port, in a thread; messages land in folder."""

    def __init__(self, folder, port=0):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._count = 0
        self.envelopes = []
        self.server = _Server(("127.0.0.1", port), _Handler)
        self.server.sink = self
        self.port = self.server.server_address[1]
        self._thread = None

    def store(self, envelope, data):
        with self._lock:
            self._count += 1
            self.envelopes.append(envelope)
            (self.folder / ("%04d.eml" % self._count)).write_bytes(data)

    def messages(self):
        """The raw bytes of each message received, oldest first."""
        return [p.read_bytes() for p in sorted(self.folder.glob("*.eml"))]

    def start(self):
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: smtp_sink.py FOLDER [PORT]")
    sink = SmtpSink(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 0)
    print("smtp://127.0.0.1:%d/ -> %s" % (sink.port, sink.folder), flush=True)
    try:
        sink.server.serve_forever()
    except KeyboardInterrupt:
        pass

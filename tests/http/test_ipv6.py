"""Listening on IPv6 as well as IPv4: --listen [::1]:PORT, --listen given several times,
"[::]" for both families (dual stack), a list in the INI file, and a bad address refused
at start-up. Skipped only when the machine has no IPv6 loopback."""
import socket
import subprocess
import time

import pytest
import requests

from conftest import BIN, ROOT, Server, free_port, phuong, with_database


def has_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not has_ipv6_loopback(), reason="no IPv6 loopback (::1)")


def free_port6():
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        s.bind(("::1", 0))
        return s.getsockname()[1]


def get(url):
    return requests.get(url, timeout=10, proxies={"http": None, "https": None})


def test_listen_on_ipv4_and_ipv6_loopback_together(tmp_path_factory):
    port6 = free_port6()
    s = Server(tmp_path_factory.mktemp("v6") / "data", users=False,
               extra_args=("--listen", "[::1]:%d" % port6))
    try:
        assert get(s.base + "/robots.txt").status_code == 200
        r = get("http://[::1]:%d/robots.txt" % port6)
        assert r.status_code == 200
        r = get("http://[::1]:%d/" % port6)
        assert r.status_code == 200 and "Phường" in r.text
        assert "http://[::1]:%d/" % port6 in s.log()
    finally:
        s.check_stopped_cleanly()


def test_the_unspecified_ipv6_address_takes_both_families(tmp_path_factory):
    data = tmp_path_factory.mktemp("dual") / "data"
    port = free_port6()
    s = Server(data, users=False, extra_args=("--listen", "[::]:%d" % port))
    try:
        assert get("http://[::1]:%d/robots.txt" % port).status_code == 200
        assert get("http://127.0.0.1:%d/robots.txt" % port).status_code == 200
    finally:
        s.check_stopped_cleanly()


def test_the_ini_takes_a_list(scratch):
    port4, port6 = free_port(), free_port6()
    ini = scratch / "phuong.ini"
    ini.write_text("[server]\nlisten = 127.0.0.1:%d, [::1]:%d\n" % (port4, port6))
    proc = subprocess.Popen([BIN, "serve", "--config", str(ini), "--data", str(scratch / "data"),
                             *with_database(["--data", str(scratch / "data")])[2:]],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if (get("http://127.0.0.1:%d/robots.txt" % port4).status_code == 200 and
                        get("http://[::1]:%d/robots.txt" % port6).status_code == 200):
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "not serving both"
            time.sleep(0.2)
    finally:
        proc.terminate()
        assert proc.wait(10) == 0


def test_bad_addresses_refuse_to_start(scratch):
    ini = scratch / "phuong.ini"
    for bad in ("::1:8080", "[::1]8080", "[localhost]:8080", "127.0.0.1:99999", "[::1]:x"):
        ini.write_text("[server]\nlisten = 127.0.0.1:1, %s\n" % bad)
        r = phuong("serve", "--config", ini, "--data", scratch / "data", timeout=30)
        assert r.returncode != 0 and "listen" in r.stderr, (bad, r.stderr)
        r = phuong("serve", "--data", scratch / "data", "--listen", bad, timeout=30)
        assert r.returncode != 0 and "--listen" in r.stderr, (bad, r.stderr)

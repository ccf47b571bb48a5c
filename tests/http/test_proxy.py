"""Behind a reverse proxy (issue 9, item 3): with trusted_proxies, X-Forwarded-For's
right-most untrusted address is the client, and every throttle counts per unit and per
client; without it (or for entries a client wrote itself), X-Forwarded-For is ignored."""
import pytest

from conftest import Client, Server, phuong
from util import parse, squash

HOST_B = "xa-proxy-b.test"
PASSWORDS = {"tinh": "Quản trị cấp tỉnh 2025 #1", "quantri-b": "Quản trị xã B 2025 #2"}
FAILURES = 20  # AUTH_THROTTLE_PER_IP


def login(client, user, password):
    token = client.csrf_from("/quan-tri/dang-nhap")
    return client.post("/quan-tri/dang-nhap", {"username": user, "password": password,
                                                "csrf": token})


def forwarded(server, xff, host=None):
    c = Client(server, host=host)
    c.s.headers["X-Forwarded-For"] = xff
    return c


def fail_signins(client, count, xff=None):
    """count failed sign-ins with different unknown names (the per-name limit stays out of
    it); xff(i) gives a header per attempt when set. Returns the statuses."""
    statuses = []
    for i in range(count):
        if xff:
            client.s.headers["X-Forwarded-For"] = xff(i)
        statuses.append(login(client, "khong-co-%d" % i, "sai mật khẩu").status_code)
    return statuses


def add_unit_b(s):
    """A second unit on HOST_B with its own admin (quantri-b), made by a province admin."""
    r = phuong("user", "add", "tinh", "--role", "province_admin", "--data", s.data,
               "--database", s.database, "--password-stdin", stdin=PASSWORDS["tinh"] + "\n")
    assert r.returncode == 0, r.stderr
    province = forwarded(s, "203.0.113.200")
    assert login(province, "tinh", PASSWORDS["tinh"]).status_code == 303
    token = province.csrf_from("/quan-tri/tinh/don-vi", "/quan-tri/tinh/don-vi")
    r = province.post("/quan-tri/tinh/don-vi", {"csrf": token, "code": "27021",
                                                "name": "Xã Thử Proxy", "hosts": HOST_B,
                                                "admin": "quantri-b"})
    assert r.status_code == 201, squash(r.text)[:400]
    one_time = parse(r.content).xpath('//*[@id="one-time-password"]/text()')[0]
    b_admin = forwarded(s, "203.0.113.201", host=HOST_B)
    assert login(b_admin, "quantri-b", one_time).status_code == 303
    token = b_admin.csrf_from("/quan-tri/mat-khau", "/quan-tri/mat-khau")
    r = b_admin.post("/quan-tri/mat-khau", {"csrf": token, "current_password": one_time,
                                            "password": PASSWORDS["quantri-b"],
                                            "password_again": PASSWORDS["quantri-b"]})
    assert r.status_code == 303, squash(r.text)[:400]


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("proxied") / "data",
               extra_args=("--trusted-proxies", "127.0.0.1, ::1"))
    try:
        add_unit_b(s)
        yield s
    finally:
        s.check_stopped_cleanly()


def test_failed_signins_lock_out_only_their_address_in_their_unit(proxied):
    attacker = forwarded(proxied, "198.51.100.66")
    statuses = fail_signins(attacker, FAILURES)
    assert 429 not in statuses, statuses
    assert login(attacker, "editor", "sai").status_code == 429
    # The same address is refused even with the right password...
    assert login(attacker, "editor", "Biên tập viên 2015 #9").status_code == 429
    # ... while another client behind the same proxy signs in,
    other = forwarded(proxied, "198.51.100.77")
    r = login(other, "editor", "Biên tập viên 2015 #9")
    assert r.status_code == 303, squash(r.text)[:300]
    # and the same address signs in on another unit.
    in_b = forwarded(proxied, "198.51.100.66", host=HOST_B)
    r = login(in_b, "quantri-b", PASSWORDS["quantri-b"])
    assert r.status_code == 303, squash(r.text)[:300]


def test_a_spoofed_leftmost_entry_is_ignored_behind_the_proxy(proxied):
    """The client writes X-Forwarded-For itself; the proxy appends the address it saw:
    changing the left part on each try does not make a new client."""
    attacker = Client(proxied)
    statuses = fail_signins(attacker, FAILURES, lambda i: "10.9.%d.%d, 198.51.100.88" % (i, i))
    assert 429 not in statuses, statuses
    attacker.s.headers["X-Forwarded-For"] = "10.77.77.77, 198.51.100.88"
    assert login(attacker, "editor", "Biên tập viên 2015 #9").status_code == 429
    attacker.s.headers["X-Forwarded-For"] = "198.51.100.89"
    assert login(attacker, "editor", "Biên tập viên 2015 #9").status_code == 303


def test_x_real_ip_names_the_client_without_x_forwarded_for(proxied):
    attacker = Client(proxied)
    attacker.s.headers["X-Real-IP"] = "198.51.100.99"
    fail_signins(attacker, FAILURES)
    assert login(attacker, "editor", "Biên tập viên 2015 #9").status_code == 429
    attacker.s.headers["X-Real-IP"] = "198.51.100.98"
    assert login(attacker, "editor", "Biên tập viên 2015 #9").status_code == 303


def test_forwarded_addresses_are_ignored_without_trusted_proxies(fresh):
    attacker = Client(fresh)
    statuses = fail_signins(attacker, FAILURES, lambda i: "198.51.100.%d" % (i + 1))
    assert 429 not in statuses, statuses
    # A new X-Forwarded-For or X-Real-IP does not make a new client: the socket is.
    attacker.s.headers["X-Forwarded-For"] = "203.0.113.50"
    attacker.s.headers["X-Real-IP"] = "203.0.113.51"
    assert login(attacker, "editor", "Biên tập viên 2015 #9").status_code == 429


@pytest.mark.parametrize("value", ["localhost", "10.0.0.0/33", "127.0.0.1;10.0.0.1", "::1/200"])
def test_an_invalid_trusted_proxies_refuses_to_start(scratch, value):
    r = phuong("serve", "--data", scratch / "data", "--listen", "127.0.0.1:1",
               "--trusted-proxies", value, timeout=30)
    assert r.returncode != 0
    assert "trusted_proxies" in r.stderr and "not an IPv4 or IPv6 address or CIDR" in r.stderr, \
        r.stderr
    ini = scratch / "phuong.ini"
    ini.write_text("[server]\ntrusted_proxies = %s\n" % value)
    r = phuong("serve", "--config", ini, "--data", scratch / "data", "--listen",
               "127.0.0.1:1", timeout=30)
    assert r.returncode != 0 and "trusted_proxies" in r.stderr, r.stderr


def test_lookups_count_per_forwarded_address_and_unit(proxied):
    lookup = "/tra-cuu-ho-so?ma=X-260101-0001&sdt=0000"
    citizen = forwarded(proxied, "198.51.100.120")
    statuses = [citizen.get(lookup).status_code for _ in range(31)]  # lookup_limit 30
    assert statuses[:30] == [404] * 30 and statuses[30] == 429, statuses
    assert forwarded(proxied, "198.51.100.121").get(lookup).status_code == 404
    assert forwarded(proxied, "198.51.100.120", host=HOST_B).get(lookup).status_code == 404

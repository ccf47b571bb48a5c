"""Online submissions under load and abuse (issue 9, items 4 and 10): parallel submissions
never meet a busy database, an address and a unit are throttled, the unit's anonymous upload
volume is capped per hour, and a clerk can mark a submission as spam."""
import re
import threading

from test_dossiers import ONLINE, online_form, submit_online
from util import squash

PARALLEL = 16
BUSY_LINES = re.compile(r"database busy|cannot move the page generation")


def test_parallel_online_submissions_never_meet_a_busy_database(tmp_path, start_server):
    s = start_server(tmp_path / "parallel", extra_args=())
    clients = [s.client() for _ in range(PARALLEL)]
    forms = [(c, online_form(c)) for c in clients]
    results, lock = [], threading.Lock()
    barrier = threading.Barrier(PARALLEL)

    def submit(c, data):
        barrier.wait()
        r, code = submit_online(c, data)
        with lock:
            results.append((r.status_code, code, squash(r.text)[-200:]))
    threads = [threading.Thread(target=submit, args=f) for f in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(x[0] for x in results) == [201] * PARALLEL, results
    assert len({x[1] for x in results}) == PARALLEL
    bad = [line for line in s.log().splitlines() if BUSY_LINES.search(line)]
    assert not bad, bad

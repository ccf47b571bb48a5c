"""bench/soak.py: the load of bench/soak.sh. Mixed reads and writes against BASE for
SECONDS with THREADS clients; prints one JSON line of counts. Reads: home, an article,
a category, search, the archive, feeds, the procedure list, the lookup, staff pages;
writes: article saves, counter intake, online submissions, ratings, sign-ins."""
import json
import os
import random
import re
import sys
import threading
import time

import lxml.html
import requests

BASE = os.environ["BASE"]
SECONDS = float(os.environ.get("SECONDS_", "180"))
THREADS = int(os.environ.get("THREADS", "8"))
PW = {"editor": os.environ["EDITOR_PW"], "canbo": os.environ["CLERK_PW"]}
READS = ["/", "/tim-kiem?q=tam+guong", "/luu-tru/2015-07-07", "/rss.xml", "/atom.xml",
         "/sitemap.xml", "/thu-tuc", "/cam-ket-phuc-vu", "/index.json"]
lock = threading.Lock()
counts = {"requests": 0, "errors": 0, "refused": 0, "writes": 0}
errors = []


def note(key, n=1, what=None):
    with lock:
        counts[key] = counts.get(key, 0) + n
        if what and len(errors) < 20:
            errors.append(what)


def session():
    s = requests.Session()
    s.trust_env = False
    return s


def csrf(s, path):
    r = s.get(BASE + path, timeout=30)
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', r.text)
    return m.group(1) if m else ""


def login(user):
    s = session()
    r = s.post(BASE + "/quan-tri/dang-nhap", {"username": user, "password": PW[user],
               "csrf": csrf(s, "/quan-tri/dang-nhap")}, allow_redirects=False, timeout=30)
    return s, r.status_code


def check(r, ok, what):
    note("requests")
    if r.status_code >= 500:
        note("errors", what="%d %s" % (r.status_code, what))
    elif r.status_code == 429:
        note("refused")
    elif r.status_code not in ok:
        note("errors", what="%d %s" % (r.status_code, what))
    return r


def fields(html, action):
    """The values a browser would send for the form with that action."""
    doc = lxml.html.document_fromstring(html)
    out = {}
    for form in doc.xpath("//form[@action=$a and @method='post']", a=action)[:1]:
        for el in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
            kind = (el.get("type") or "text").lower()
            if el.tag == "input" and kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio") and el.get("checked") is None:
                continue
            if el.tag == "select":
                opts = el.xpath(".//option[@selected]/@value") or el.xpath(".//option/@value")
                out[el.get("name")] = opts[0] if opts else ""
            elif el.tag == "textarea":
                out[el.get("name")] = el.text or ""
            else:
                out[el.get("name")] = el.get("value") or ""
    return out


def worker(n, deadline):
    rng = random.Random(n)
    anon = session()
    editor, _ = login("editor")
    clerk, _ = login("canbo")
    article = None
    i = 0
    while time.monotonic() < deadline:
        i += 1
        kind = rng.random()
        try:
            if kind < 0.70:
                path = rng.choice(READS)
                check(anon.get(BASE + path, timeout=30), (200,), path)
            elif kind < 0.76:
                check(clerk.get(BASE + "/quan-tri/ho-so", timeout=30), (200,), "queue")
            elif kind < 0.84:
                if article is None:
                    r = editor.get(BASE + "/quan-tri/bai-viet/moi", timeout=30)
                    data = fields(r.text, "/quan-tri/bai-viet")
                    data.update(title="Bài thử tải %d-%d" % (n, i), body="Nội dung.",
                                author="Ban Biên tập", action="save",
                                published_at=time.strftime("%Y-%m-%dT%H:%M"))
                    r = check(editor.post(BASE + "/quan-tri/bai-viet", data,
                                          allow_redirects=False, timeout=30), (303,), "new article")
                    m = re.search(r"/quan-tri/bai-viet/(\d+)$", r.headers.get("Location", ""))
                    article = m and m.group(1)
                else:
                    path = "/quan-tri/bai-viet/%s" % article
                    r = editor.get(BASE + path, timeout=30)
                    data = fields(r.text, path)
                    data.update(body="Nội dung sửa lần %d." % i, action="save")
                    check(editor.post(BASE + path, data, allow_redirects=False, timeout=30),
                          (303,), "article save")
                note("writes")
            elif kind < 0.92:
                path = "/quan-tri/ho-so/tiep-nhan?thu-tuc=xac-nhan-thong-tin-ho-tich"
                r = clerk.get(BASE + path, timeout=30)
                data = fields(r.text, "/quan-tri/ho-so/tiep-nhan")
                data.update(name="Người thử tải %d-%d" % (n, i), phone="0912 345 678",
                            sets="1", address="1 Lê Lợi")
                check(clerk.post(BASE + "/quan-tri/ho-so/tiep-nhan", data,
                                 allow_redirects=False, timeout=30), (303,), "intake")
                note("writes")
            elif kind < 0.97:
                path = "/thu-tuc/dang-ky-khai-sinh/nop-truc-tuyen"
                c = session()
                r = c.get(BASE + path, timeout=30)
                data = fields(r.text, path)
                data.update(name="Công dân thử tải %d-%d" % (n, i), phone="0987 654 321",
                            delivery="online", address="5 Nguyễn Huệ")
                check(c.post(BASE + path, data, allow_redirects=False, timeout=30),
                      (200, 201), "online")
                note("writes")
            else:
                s, status = login("canbo")
                note("requests")
                if status != 303:
                    note("errors", what="%d sign-in" % status)
                note("writes")
        except requests.RequestException as e:
            note("errors", what=repr(e)[:200])


def main():
    deadline = time.monotonic() + SECONDS
    threads = [threading.Thread(target=worker, args=(n, deadline)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts["first_errors"] = errors
    print(json.dumps(counts, ensure_ascii=False))
    sys.stdout.flush()


main()

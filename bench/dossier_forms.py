#!/usr/bin/python3
"""dossier_forms.py: what bench/dossiers.sh sends, read from the running server (Debian's
python3-requests and -lxml).

  dossier_forms.py login BASE USER PASSWORD   prints the Cookie header of a signed-in session
  dossier_forms.py online BASE PROCEDURE      prints the online submission of PROCEDURE for
      wrk: line 1 the path, line 2 the Cookie header, line 3 the urlencoded body without its
      idempotency token, ending in "token=" (bench/intake.lua appends a fresh one)."""
import sys
import urllib.parse

import lxml.html
import requests


def session():
    s = requests.Session()
    s.trust_env = False
    return s


def cookies(s):
    return "; ".join("%s=%s" % (k, v) for k, v in s.cookies.items())


def login(base, user, password):
    s = session()
    doc = lxml.html.fromstring(s.get(base + "/quan-tri/dang-nhap").content)
    token = doc.xpath('//input[@name="csrf"]/@value')[0]
    r = s.post(base + "/quan-tri/dang-nhap", {"username": user, "password": password,
                                               "csrf": token}, allow_redirects=False)
    assert r.status_code == 303, r.status_code
    print(cookies(s))


def online(base, procedure):
    s = session()
    path = "/thu-tuc/%s/nop-truc-tuyen" % procedure
    r = s.get(base + path)
    assert r.status_code == 200, r.status_code
    form = lxml.html.fromstring(r.content).xpath("//form[@action='%s']" % path)[0]
    fields = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input[@name]")
              if i.get("type") != "file"}
    fields.update({"name": "Trần Văn Bình", "id_number": "079203001234",
                   "address": "5 Nguyễn Huệ, Phường 9", "phone": "0987 654 321",
                   "email": "", "delivery": "online"})
    del fields["token"]
    print(path)
    print(cookies(s))
    print(urllib.parse.urlencode(fields) + "&token=")


if __name__ == "__main__":
    {"login": login, "online": online}[sys.argv[1]](*sys.argv[2:])

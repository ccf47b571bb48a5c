#!/usr/bin/python3
"""edit_form.py BASE USER PASSWORD: signs in to the phuong at BASE and prints what a
"save" of the first article's edit form sends, for wrk: line 1 the path, line 2 the
Cookie header, line 3 the urlencoded body. Uses Debian's python3-requests and -lxml."""
import sys
import urllib.parse

import lxml.html
import requests

base, user, password = sys.argv[1:4]
s = requests.Session()
s.trust_env = False
doc = lxml.html.fromstring(s.get(base + "/quan-tri/dang-nhap").content)
token = doc.xpath('//input[@name="csrf"]/@value')[0]
r = s.post(base + "/quan-tri/dang-nhap", {"username": user, "password": password, "csrf": token},
           allow_redirects=False)
assert r.status_code == 303, r.status_code
doc = lxml.html.fromstring(s.get(base + "/quan-tri/bai-viet").content)
path = next(h for h in doc.xpath("//a/@href") if h.rstrip("/").split("/")[-1].isdigit()
            and h.startswith("/quan-tri/bai-viet/"))
doc = lxml.html.fromstring(s.get(base + path).content)
form = next(f for f in doc.xpath("//form") if f.xpath('.//*[@name="title"]'))
fields = {}
for el in form.xpath(".//input[@name]|.//textarea[@name]|.//select[@name]"):
    if el.tag == "select":
        chosen = el.xpath("./option[@selected]/@value") or el.xpath("./option/@value")
        fields[el.get("name")] = chosen[0]
    elif el.get("type") not in ("checkbox", "radio", "submit", "file"):
        fields[el.get("name")] = el.value or el.text or ""
fields["body"] = (fields.get("body") or "") + "\n\nSửa để đo tốc độ ghi."
fields["action"] = "save"
print(path)
print("; ".join("%s=%s" % (k, v) for k, v in s.cookies.items()))
print(urllib.parse.urlencode(fields))

"""Helpers for the HTTP end-to-end tests: reading pages, forms, feeds, raw requests."""
import datetime
import http.client
import json
import re
import select
import socket
import struct
import unicodedata
import zlib

import lxml.html

SAMPLE_TITLE = "PHƯỜNG 9 ĐẨY MẠNH HỌC TẬP VÀ LÀM THEO TẤM GƯƠNG ĐẠO ĐỨC HỒ CHÍ MINH"
SAMPLE_CATEGORY = "Hoạt động Đảng - Đoàn thể"
SAMPLE_DATE_LINE = "Thứ 3, Ngày 07/07/2015, 08:10"
SAMPLE_AUTHOR = "Đỗ Uyên"
SAMPLE_VIEWS = 77
SAMPLE_CAPTION = ("Bà Phan Thị Bích Hường - Bí thư Đảng ủy, Chủ tịch UBND phường tặng giấy khen "
                  "cho các tập thể thực tốt việc học tập và làm theo tấm gương đạo đức HCM")
SAMPLE_FIRST_WORDS = "Với phương châm “tích cực học tập, nỗ lực làm theo”, Đảng ủy phường 9"

ARTICLE_HREF = re.compile(r"^(?:https?://[^/]+)?/bai-viet/(\d+)-[^/?#.]+$")
CATEGORY_HREF = re.compile(r"^(?:https?://[^/]+)?/chuyen-muc/([^/?#.]+)$")
VIETNAMESE_LETTER = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                               re.IGNORECASE)
VN = datetime.timezone(datetime.timedelta(hours=7))


def squash(s):
    """Whitespace (including no-break spaces) collapsed to one space, ends stripped."""
    return " ".join((s or "").split())


def parse(html):
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    return lxml.html.document_fromstring(html)


def text(node):
    """The normalised text content of a document or element (scripts and styles left out)."""
    if isinstance(node, (str, bytes)):
        node = parse(node)
    parts = []
    for t in node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"):
        parts.append(t)
    return squash(" ".join(parts))


def fold(s):
    """What the server's search is said to fold: NFD, no marks, đ->d, lower case."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("đ", "d").replace("Đ", "D").lower()


def main_area(doc):
    """The page's main content: #noi-dung (the skip link's target), else <main>, else body."""
    for xp in ('//*[@id="noi-dung"]', "//main", "//body"):
        found = doc.xpath(xp)
        if found:
            return found[0]
    return doc


def links(node, pattern=None):
    """[(href, text)] of the <a> elements under node, in document order."""
    out = []
    for a in node.xpath(".//a[@href]"):
        href = a.get("href")
        if pattern is None or re.search(pattern, href):
            out.append((href, text(a)))
    return out


def article_links(node):
    """[(id, href, text)] of the links to article pages under node, first occurrence only."""
    seen, out = set(), []
    for href, t in links(node):
        m = ARTICLE_HREF.match(href)
        if m and int(m.group(1)) not in seen:
            seen.add(int(m.group(1)))
            out.append((int(m.group(1)), href, t))
    return out


def path_of(href):
    return re.sub(r"^https?://[^/]+", "", href)


def meta(doc, prop):
    for m in doc.xpath("//meta[@property=$p or @name=$p]", p=prop):
        return m.get("content")
    return None


def is_vietnamese(s):
    return bool(VIETNAMESE_LETTER.search(s))


def check_page(resp, lang="vi"):
    """Checks what every HTML page owes: status 200, UTF-8 HTML with a doctype, the
    language, a title, a phone viewport, unique ids, alt on images. Returns the doc."""
    assert resp.status_code == 200, (resp.status_code, resp.url)
    return check_html(resp, lang)


def check_html(resp, lang="vi"):
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.lower().replace(" ", "").startswith("text/html;charset=utf-8"), ctype
    body = resp.content.decode("utf-8")  # fails on invalid UTF-8
    assert re.match(r"\s*<!doctype html>", body, re.IGNORECASE), body[:80]
    doc = parse(body)
    html = doc.xpath("/html")[0]
    if lang:
        assert html.get("lang") == lang, html.get("lang")
    assert squash(doc.findtext(".//title")), "no <title>"
    assert doc.xpath('//meta[@name="viewport"]'), "no viewport meta (phones)"
    ids = [e.get("id") for e in doc.xpath("//*[@id]")]
    dups = {i for i in ids if ids.count(i) > 1}
    assert not dups, "duplicate ids: %s" % sorted(dups)
    for img in doc.xpath("//img"):
        assert img.get("alt") is not None, "img without alt: %s" % img.get("src")
    return doc


def json_strings(value):
    """Every string (values and keys) in a decoded JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)


def json_keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from json_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_keys(v)


def check_json(resp):
    assert resp.status_code == 200, (resp.status_code, resp.url)
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.lower().startswith("application/json"), ctype
    return json.loads(resp.content.decode("utf-8"))


def form_fields(form):
    """The values a browser would submit for a <form> element (without its buttons)."""
    data = {}
    for el in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
        name, tag = el.get("name"), el.tag
        if tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and el.get("checked") is None:
                continue
            data[name] = el.get("value") if el.get("value") is not None else (
                "on" if kind in ("checkbox", "radio") else "")
        elif tag == "textarea":
            data[name] = el.text or ""
        else:
            opts = el.xpath(".//option")
            chosen = [o for o in opts if o.get("selected") is not None] or opts[:1]
            if chosen:
                o = chosen[0]
                data[name] = o.get("value") if o.get("value") is not None else squash(o.text_content())
    return data


def local_time(delta=datetime.timedelta(0)):
    """A form's "YYYY-MM-DDTHH:MM" in Asia/Ho_Chi_Minh, now + delta."""
    return (datetime.datetime.now(VN) + delta).strftime("%Y-%m-%dT%H:%M")


def png_bytes(width=48, height=32):
    """A valid RGB PNG made here (no imaging library): a colour gradient."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes((x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), 128))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))


def raw_get(port, path, timeout=30):
    """GET with the path sent exactly as given (requests would remove dot segments).
    Returns (status, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def raw_post_oversize(port, path, size, chunked=False, extra_headers=(), timeout=30):
    """POSTs a form body of `size` bytes and returns the response status, reading the
    answer even when the server replies (and closes) before taking the whole body."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    head = ["POST %s HTTP/1.1" % path, "Host: 127.0.0.1:%d" % port,
            "Content-Type: application/x-www-form-urlencoded", "Connection: close"]
    head += list(extra_headers)
    head.append("Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % size)
    reply = b""
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        block = b"a=" + b"x" * (64 * 1024 - 2)
        sent = 0
        while sent < size:
            r, _, _ = select.select([sock], [], [], 0)
            if r:
                break  # the server has answered already
            piece = block[: min(len(block), size - sent)]
            if chunked:
                piece = b"%x\r\n%s\r\n" % (len(piece), piece)
            sock.sendall(piece)
            sent += len(block[: min(len(block), size - sent)])
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        while b"\r\n" not in reply:
            got = sock.recv(65536)
            if not got:
                break
            reply += got
    except (ConnectionResetError, socket.timeout):
        pass
    finally:
        sock.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    assert m, "no HTTP answer to an oversize POST: %r" % reply[:200]
    return int(m.group(1))


# --- the back office, as a client sees it ------------------------------------------

def form_with(doc, field):
    """The first <form> that has a field of that name."""
    forms = doc.xpath('//form[.//*[@name=$f]]', f=field)
    assert forms, "no form with a field %r" % field
    return forms[0]


def category_options(doc):
    """[(id, name)] of the new-article form's <select name="category_id">."""
    return [(o.get("value"), squash(o.text_content()))
            for o in doc.xpath('//select[@name="category_id"]/option')
            if (o.get("value") or "").strip()]


def create_article(client, title, body, action="publish", published_at=None,
                   unpublish_at=None, category_id=None, author="Ban Biên tập", expect=303):
    """Creates an article through the new-article form. With expect=303 (the default)
    asserts success and returns the new id; with expect=None returns the response."""
    r, doc = client.page("/quan-tri/bai-viet/moi")
    assert r.status_code == 200, ("new article form", r.status_code)
    fields = form_fields(form_with(doc, "title"))
    if category_id is None:
        opts = category_options(doc)
        assert opts, "no category to choose in the new-article form"
        category_id = opts[0][0]
    fields.update(csrf=client.csrf(doc, "/quan-tri/bai-viet"), title=title,
                  category_id=str(category_id), author=author, body=body, action=action,
                  published_at=published_at or local_time(datetime.timedelta(minutes=-2)))
    if unpublish_at:
        fields["unpublish_at"] = unpublish_at
    r = client.post("/quan-tri/bai-viet", fields)
    if expect is None:
        return r
    assert r.status_code == expect, (r.status_code, squash(text(r.content))[:400])
    m = re.search(r"/quan-tri/bai-viet/(\d+)$", path_of(r.headers.get("Location", "")))
    assert m, "create did not redirect to the article: %r" % r.headers.get("Location")
    return int(m.group(1))


def edit_form(client, article_id):
    """(doc, fields) of the article's edit form."""
    r, doc = client.page("/quan-tri/bai-viet/%d" % article_id)
    assert r.status_code == 200, ("edit form", r.status_code)
    return doc, form_fields(form_with(doc, "title"))


def public_article(client, article_id, **kw):
    """GET /bai-viet/{id}, following the redirect to the canonical page."""
    return client.page("/bai-viet/%d" % article_id, **kw)


def find_article(client, title, where=("/", "/luu-tru/2015-07-07", "/luu-tru/2015-07")):
    """(id, path) of the article with that title, looked up in the public pages."""
    for place in where:
        r, doc = client.page(place)
        if r.status_code != 200:
            continue
        for aid, href, t in article_links(doc):
            if squash(t) == title:
                return aid, path_of(href)
    raise AssertionError("no link to %r on %s" % (title, ", ".join(where)))


def views(doc):
    m = re.search(r"Số lượt người xem:\s*(\d+)", text(doc))
    assert m, "no 'Số lượt người xem' on the page"
    return int(m.group(1))

"""An editor's work: write, escape, publish, revise, restore, schedule, unpublish, photos."""
import datetime
import re

import feedparser

from util import (check_html, check_page, create_article, edit_form, is_vietnamese, local_time, main_area,
                  path_of, png_bytes, public_article, squash, text)

XSS_TITLE = "Thông báo <script>alert(1)</script> họp tổ dân phố"
BODY = """Bà con khu phố 3 **lưu ý** lịch họp.

- Thời gian: 19 giờ
- Địa điểm: nhà văn hóa

<script>alert(2)</script>

[liên kết lạ](javascript:alert(3))
"""
DAY = datetime.timedelta(days=1)


def editor(server):
    return server.client(login="editor")


def revisions(client, aid):
    """The revision numbers that can be restored, from the revisions page."""
    r, doc = client.page("/quan-tri/bai-viet/%d/phien-ban" % aid)
    assert r.status_code == 200, r.status_code
    nums = set()
    for f in doc.xpath("//form[@action]"):
        m = re.search(r"/phien-ban/(\d+)/khoi-phuc$", path_of(f.get("action")))
        if m:
            nums.add(int(m.group(1)))
    return doc, sorted(nums)


def action(client, aid, verb, **fields):
    token = client.csrf_from("/quan-tri/bai-viet/%d" % aid, "/" + verb)
    return client.post("/quan-tri/bai-viet/%d/%s" % (aid, verb), dict(fields, csrf=token))


def is_public(client, aid):
    return client.get("/bai-viet/%d" % aid).status_code == 301


def in_feed(client, title):
    feed = feedparser.parse(client.get("/rss.xml").content)
    return title in [e.title for e in feed.entries]


def test_create_and_publish_escapes_the_title(fresh):
    c = editor(fresh)
    aid = create_article(c, XSS_TITLE, BODY, action="publish")
    anon = fresh.client()
    r, doc = public_article(anon, aid)
    check_page(r)
    assert b"<script>alert(1)" not in r.content
    assert squash(doc.xpath("//h1")[0].text_content()) == XSS_TITLE
    assert XSS_TITLE in squash(doc.findtext(".//title"))
    assert [m.get("content") for m in doc.xpath('//meta[@property="og:title"]')] == [XSS_TITLE]
    scripts = [s for s in doc.xpath("//script") if "alert" in (s.text or "") + (s.get("src") or "")]
    assert not scripts, "a <script> from the article made it into the page"
    art = main_area(doc)
    # Markdown is rendered, raw HTML and javascript: links are not
    assert "lưu ý" in [squash(s.text_content()) for s in art.xpath(".//strong")]
    items = [squash(li.text_content()) for li in art.xpath(".//li")]
    assert "Thời gian: 19 giờ" in items and "Địa điểm: nhà văn hóa" in items, items
    assert not [a for a in doc.xpath("//a[@href]") if a.get("href").strip().lower().startswith("javascript:")]
    assert in_feed(anon, XSS_TITLE)
    # and the back office list shows it escaped as well
    r, doc = c.page("/quan-tri/bai-viet")
    assert b"<script>alert(1)" not in r.content and XSS_TITLE in text(doc)


def test_draft_is_not_public(fresh):
    c = editor(fresh)
    aid = create_article(c, "Bản nháp chưa đăng", "Nội dung nháp", action="save")
    anon = fresh.client()
    assert anon.get("/bai-viet/%d" % aid).status_code == 404
    assert anon.get("/bai-viet/%d.json" % aid).status_code in (404,)
    assert not in_feed(anon, "Bản nháp chưa đăng")
    r, doc = anon.page("/tim-kiem", params={"q": "Bản nháp chưa đăng"})
    assert "Bản nháp chưa đăng" not in text(main_area(doc))
    assert "Bản nháp chưa đăng" in text(c.page("/quan-tri/bai-viet")[1])


def test_preview_renders_without_publishing(fresh):
    c = editor(fresh)
    aid = create_article(c, "Bài xem trước", "Chữ **đậm** ở đây", action="save")
    doc, fields = edit_form(c, aid)
    fields.update(csrf=c.csrf(doc, "/xem-truoc"), title="Bài xem trước (sửa)", body="Chữ *nghiêng* mới")
    r = c.post("/quan-tri/bai-viet/%d/xem-truoc" % aid, fields)
    assert r.status_code == 200, r.status_code
    pdoc = check_page(r)
    assert "Bài xem trước (sửa)" in text(pdoc)
    assert "nghiêng" in [squash(e.text_content()) for e in pdoc.xpath("//em")]
    assert not is_public(fresh.client(), aid)
    doc, fields = edit_form(c, aid)
    assert fields["title"] == "Bài xem trước", "the preview saved the article"


def test_edit_makes_a_revision_and_restore_brings_it_back(fresh):
    c = editor(fresh)
    aid = create_article(c, "Bài có nhiều phiên bản", "Phiên bản một của nội dung.")
    _, revs_before = revisions(c, aid)
    doc, fields = edit_form(c, aid)
    fields.update(csrf=c.csrf(doc, "/quan-tri/bai-viet/%d" % aid), body="Phiên bản hai của nội dung.",
                  action="save")
    r = c.post("/quan-tri/bai-viet/%d" % aid, fields)
    assert r.status_code == 303, r.status_code
    anon = fresh.client()
    t = text(public_article(anon, aid)[1])
    assert "Phiên bản hai" in t and "Phiên bản một" not in t

    rdoc, revs = revisions(c, aid)
    # Every revision but the current one can be restored.
    assert len(revs) >= 1 and len(revs) > len(revs_before), (revs_before, revs)
    first = revs[0]
    token = c.csrf(rdoc, "/phien-ban/%d/khoi-phuc" % first)
    r = c.post("/quan-tri/bai-viet/%d/phien-ban/%d/khoi-phuc" % (aid, first), {"csrf": token})
    assert r.status_code == 303, r.status_code
    t = text(public_article(anon, aid)[1])
    assert "Phiên bản một" in t and "Phiên bản hai" not in t
    _, revs_after = revisions(c, aid)
    assert len(revs_after) >= len(revs), "restoring lost history"


def test_unknown_revision_is_404(fresh):
    c = editor(fresh)
    aid = create_article(c, "Bài không có phiên bản 999", "Nội dung")
    token = c.csrf_from("/quan-tri/bai-viet/%d/phien-ban" % aid)
    r = c.post("/quan-tri/bai-viet/%d/phien-ban/999999/khoi-phuc" % aid, {"csrf": token})
    assert r.status_code == 404


def test_scheduled_then_published_then_unpublished(fresh):
    c = editor(fresh)
    title = "Lịch tiêm chủng tháng sau"
    aid = create_article(c, title, "Nội dung lịch tiêm", action="publish",
                         published_at=local_time(2 * DAY))
    anon = fresh.client()
    assert anon.get("/bai-viet/%d" % aid).status_code == 404, "a scheduled article is public"
    assert not in_feed(anon, title)
    assert title not in text(anon.page("/")[1])

    r = action(c, aid, "xuat-ban", published_at=local_time(3 * DAY))
    assert r.status_code == 303, r.status_code
    assert anon.get("/bai-viet/%d" % aid).status_code == 404

    r = action(c, aid, "xuat-ban")  # no date: now
    assert r.status_code == 303, r.status_code
    assert is_public(anon, aid)
    assert in_feed(anon, title)

    r = action(c, aid, "go-xuong")
    assert r.status_code == 303, r.status_code
    for path in ("/bai-viet/%d" % aid, "/bai-viet/%d.json" % aid, "/bai-viet/%d/ban-in" % aid):
        assert anon.get(path).status_code == 404, path
    assert not in_feed(anon, title)
    assert title in text(c.page("/quan-tri/bai-viet")[1]), "unpublishing lost the article"


def test_unpublish_at_in_the_past_hides_it(fresh):
    c = editor(fresh)
    aid = create_article(c, "Thông báo đã hết hạn", "Hết hạn rồi", action="publish",
                         published_at=local_time(-2 * DAY), unpublish_at=local_time(-DAY))
    assert fresh.client().get("/bai-viet/%d" % aid).status_code == 404


def test_invalid_article_form_is_422(fresh):
    c = editor(fresh)
    body = "Nội dung không được mất khi biểu mẫu bị trả lại"
    for bad in ({"title": ""}, {"category_id": "987654"}, {"published_at": "2015-02-30T10:00"},
                {"published_at": "ngày mai"}, {"title": "x" * 5000}):
        fields = {"title": "Tiêu đề hợp lệ", "body": body}
        fields.update(bad)
        r = create_article(c, expect=None, **fields)
        assert r.status_code == 422, (bad, r.status_code)
        doc = check_html(r)
        assert doc.xpath('//form//*[@name="title"]'), "the form is not shown again"
        assert body in text(doc), "the body typed in was lost"
        assert is_vietnamese(text(doc))
    assert "Tiêu đề hợp lệ" not in text(c.page("/quan-tri/bai-viet")[1]), "a bad form was saved"


def test_photo_with_caption(fresh):
    c = editor(fresh)
    aid = create_article(c, "Bài có ảnh", "Toàn cảnh buổi lễ.")
    token = c.csrf_from("/quan-tri/bai-viet/%d" % aid, "/anh")
    caption = "Toàn cảnh buổi lễ tuyên dương khu phố 3"
    r = c.post("/quan-tri/bai-viet/%d/anh" % aid, {"csrf": token, "caption": caption},
               files={"file": ("le-tuyen-duong.png", png_bytes(), "image/png")})
    assert r.status_code in (200, 201, 303), (r.status_code, text(r.content)[:300])
    anon = fresh.client()
    r, doc = public_article(anon, aid)
    art = main_area(doc)
    assert caption in text(art)
    imgs = art.xpath(".//img[@src]")
    assert imgs, "no <img> on the article"
    img = anon.get(imgs[0].get("src"), allow_redirects=True)
    assert img.status_code == 200
    assert img.headers.get("Content-Type", "").startswith("image/")
    assert img.content[:8] == b"\x89PNG\r\n\x1a\n" or img.content[:3] == b"\xff\xd8\xff" \
        or img.content[:4] == b"RIFF"
    og = doc.xpath('//meta[@property="og:image"]/@content')
    assert og and re.match(r"https?://", og[0])


def test_text_file_is_not_a_photo(fresh):
    c = editor(fresh)
    aid = create_article(c, "Bài bị gửi tệp lạ", "Nội dung")
    token = c.csrf_from("/quan-tri/bai-viet/%d" % aid, "/anh")
    r = c.post("/quan-tri/bai-viet/%d/anh" % aid, {"csrf": token, "caption": "Tệp giả ảnh"},
               files={"file": ("anh.png", b"Day khong phai la anh, chi la chu.\n" * 20, "image/png")})
    assert 400 <= r.status_code < 500, r.status_code
    assert is_vietnamese(text(r.content))
    r, doc = public_article(fresh.client(), aid)
    assert "Tệp giả ảnh" not in text(doc)
    assert not main_area(doc).xpath(".//img")

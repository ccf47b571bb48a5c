#!/usr/bin/env node
// End-to-end browser check of phuong's public pages (the sample article path), and of a
// province admin creating a commune whose first admin then signs in on its own host name.
//
// Usage (from the repo root or from tests/browser):
//   cd tests/browser && npm ci && node article.mjs
//
// Environment:
//   PHUONG_URL     base URL of a running server (e.g. http://127.0.0.1:8080);
//                  if unset, the script starts `${PHUONG_BIN:-build/phuong} serve
//                  --listen 127.0.0.1:PORT --data TMPDIR --demo` itself and stops
//                  it (SIGTERM) at the end.
//   PHUONG_BIN     server binary (relative paths: cwd first, then the repo root).
//   CHROMIUM_PATH  browser binary, default /usr/bin/chromium (Debian package);
//                  playwright-core never downloads a browser.
//
// Output is TAP-like: one `ok - ...` / `not ok - ...` line per check, `# ...`
// diagnostics, and a closing `N passed, M failed` line; exit code 1 if any
// check failed. Screenshots go to tests/browser/out/ (gitignored).

import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, INIT_SCRIPT, axeCheck, check, diag, goto, main, norm, shot, step } from './lib.mjs';

const TITLE = 'PHƯỜNG 9 ĐẨY MẠNH HỌC TẬP VÀ LÀM THEO TẤM GƯƠNG ĐẠO ĐỨC HỒ CHÍ MINH';
const CATEGORY_BLOCK = 'Hoạt động Đảng - Đoàn thể';
const DATE_LINE = 'Thứ 3, Ngày 07/07/2015, 08:10';
const CAPTION_START = 'Bà Phan Thị Bích Hường';
const AUTHOR = 'Đỗ Uyên';
const ARCHIVE_DAY = '2015-07-07';
const SEARCH_PATH = '/tim-kiem?q=tam+guong';
const STEP_TIMEOUT_MS = 15_000;
const OVERALL_TIMEOUT_MS = 240_000;

const PROVINCE_USER = 'tinh';
const PROVINCE_PASSWORD = 'Quản trị cấp tỉnh 2026 #1';
const COMMUNE_HOST = 'xa-binh-an.test';   // resolved to 127.0.0.1 by the browser, below

// ---------------------------------------------------------------- page helpers
async function expectVisibleText(page, phrase, scope) {
  const hits = await page.evaluate(([p, s]) => window.__e2e.findText(p, s ? document.querySelector(s) : null), [phrase, scope || null]);
  check(hits.length > 0, `text "${phrase}" not found${scope ? ` in ${scope}` : ''}`);
  const vis = hits.find((h) => h.visible);
  check(vis, `text "${phrase}" found but not visible (<${hits[0].tag}>)`);
  return vis;
}

// Finds <a> whose text contains TITLE; returns {href, inBlock} and marks it.
async function markSampleLink(page) {
  return page.evaluate(([title, block]) => {
    const n = window.__e2e.norm;
    const up = (s) => n(s).toLocaleUpperCase('vi');
    const want = up(title);
    const links = [...document.querySelectorAll('a[href]')].filter((a) => up(a.textContent).includes(want));
    if (!links.length) return null;
    const inBlockOf = (a) => {
      for (let el = a.parentElement; el && el !== document.body; el = el.parentElement) {
        const hs = el.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]');
        if (hs.length) return [...hs].some((h) => up(h.textContent).includes(up(block)));
      }
      return false;
    };
    const a = links.find(inBlockOf) || links[0];
    a.setAttribute('data-e2e', 'sample');
    return { href: a.href, inBlock: inBlockOf(a) };
  }, [TITLE, CATEGORY_BLOCK]);
}

// Number after "Số lượt người xem:".
async function viewCount(page) {
  const txt = await page.evaluate(() => window.__e2e.norm(document.body.textContent));
  const m = /Số lượt người xem:\s*(\d[\d.,\u00a0 ]*)/i.exec(txt);
  check(m, '"Số lượt người xem: N" not found');
  return Number(m[1].replace(/\D/g, ''));
}

// ---------------------------------------------------------------- the run
async function run(base) {
  const u = (p) => new URL(p, base).href;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true,
    });
    await ctx.addInitScript(INIT_SCRIPT);
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    page.on('pageerror', (e) => diag(`page error on ${page.url()}: ${e.message}`));

    let articleUrl = null;
    let articleId = null;
    let bodySnippet = null;
    const needArticle = () => check(articleUrl, 'sample article was not reached');

    // -- home
    await step('home page loads', async () => {
      await goto(page, u('/'));
      return await shot(page, 'home.png');
    });
    await step('axe: home has no serious/critical violations', () => axeCheck(page, 'home'));

    // -- find and click the sample article
    await step('find and open the sample article', async () => {
      let found = null;
      let where = null;
      await goto(page, u('/'));
      found = await markSampleLink(page);
      if (found) where = found.inBlock ? `home, block "${CATEGORY_BLOCK}"` : 'home';
      else {
        await goto(page, u(SEARCH_PATH));
        found = await markSampleLink(page);
        where = 'search';
      }
      check(found, `no link titled "${TITLE}" on home nor on ${SEARCH_PATH}`);
      await Promise.all([
        page.waitForURL(/\/bai-viet\/\d+-/, { waitUntil: 'load' }),
        page.locator('a[data-e2e=sample]').first().click(),
      ]);
      articleUrl = page.url();
      articleId = /\/bai-viet\/(\d+)-/.exec(articleUrl)[1];
      return `via ${where}: ${new URL(articleUrl).pathname}`;
    });

    // -- article page
    let views = null;
    await step('article: view counter is shown', async () => {
      needArticle();
      views = await viewCount(page);
      return `N=${views}`;
    });
    await step('article: reload shows view counter N+1', async () => {
      check(views !== null, 'no initial count');
      await page.reload({ waitUntil: 'load' });
      const n2 = await viewCount(page);
      check(n2 === views + 1, `expected ${views + 1} after reload, got ${n2}`);
      return `${views} -> ${n2}`;
    });
    await step('article: skip link "Bỏ qua..." is the first focusable element and targets #noi-dung', async () => {
      needArticle();
      await page.reload({ waitUntil: 'load' });
      await page.bringToFront();
      await page.keyboard.press('Tab');
      const a = await page.evaluate(() => {
        const el = document.activeElement;
        return el && {
          tag: el.tagName.toLowerCase(), text: window.__e2e.norm(el.textContent),
          href: el.getAttribute('href'), targetTag: document.getElementById('noi-dung')?.tagName.toLowerCase() ?? null,
        };
      });
      check(a && a.tag === 'a', `first Tab focuses <${a ? a.tag : 'none'}> "${a ? a.text : ''}", not a link`);
      check(a.text.startsWith('Bỏ qua'), `first focusable is "${a.text}", expected text starting "Bỏ qua"`);
      check(a.href && a.href.endsWith('#noi-dung'), `skip link href is "${a.href}", expected #noi-dung`);
      check(a.targetTag, 'no element with id="noi-dung"');
      check(a.targetTag === 'main', `#noi-dung is <${a.targetTag}>, expected <main>`);
      return `"${a.text}"`;
    });
    await step('article: h1 has the title', async () => {
      needArticle();
      const h1 = await page.locator('h1').allTextContents();
      check(h1.length > 0, 'no <h1>');
      check(h1.some((t) => norm(t).toLocaleUpperCase('vi').includes(TITLE)), `h1 is ${JSON.stringify(h1.map(norm))}`);
    });
    await step(`article: date line "${DATE_LINE}" is visible`, async () => {
      needArticle();
      await expectVisibleText(page, DATE_LINE);
    });
    await step('article: photo in <figure> loaded, caption starts with the expected text', async () => {
      needArticle();
      const img = page.locator('figure img').first();
      check(await img.count() > 0, 'no <figure> <img>');
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => { const i = document.querySelector('figure img'); return i && i.complete; });
      const info = await page.evaluate(() => {
        const i = document.querySelector('figure img');
        const cap = i.closest('figure').querySelector('figcaption');
        return { w: i.naturalWidth, h: i.naturalHeight, src: i.currentSrc || i.src, alt: i.getAttribute('alt'),
          cap: cap ? window.__e2e.norm(cap.textContent) : null };
      });
      check(info.w > 0, `image ${info.src} did not load (naturalWidth 0)`);
      check(info.cap !== null, 'no <figcaption> in the <figure>');
      check(info.cap.startsWith(CAPTION_START), `figcaption is "${info.cap.slice(0, 80)}"`);
      return `${info.w}x${info.h}`;
    });
    await step(`article: author "${AUTHOR}" is shown`, async () => {
      needArticle();
      await expectVisibleText(page, AUTHOR);
    });
    await step('article: "Quay lại" link exists', async () => {
      needArticle();
      const back = page.locator('a, button').filter({ hasText: /^\s*Quay lại\s*$/ });
      check(await back.count() > 0, 'no "Quay lại" link or button');
      check(await back.first().isVisible(), '"Quay lại" is not visible');
    });
    await step('article screenshot at 1280x900', async () => {
      needArticle();
      bodySnippet = await page.evaluate(() => {
        const root = document.querySelector('main') || document.body;
        const ps = [...root.querySelectorAll('p')].filter((p) => !p.closest('figure, nav, header, footer, form'));
        const t = ps.map((p) => window.__e2e.norm(p.textContent)).sort((a, b) => b.length - a.length)[0] || '';
        return t.slice(0, 60);
      });
      return await shot(page, 'article-1280.png');
    });
    await step('axe: article has no serious/critical violations', async () => {
      needArticle();
      return await axeCheck(page, 'article');
    });

    // -- print version
    await step('"Bản in" opens the print version with title and body, print stylesheet, no <nav>', async () => {
      needArticle();
      await goto(page, articleUrl);
      const link = page.locator('a').filter({ hasText: /^\s*Bản in\s*$/ }).first();
      check(await link.count() > 0, 'no "Bản in" link');
      const target = await link.getAttribute('target');
      let pp = page;
      if (target === '_blank') {
        [pp] = await Promise.all([ctx.waitForEvent('page'), link.click()]);
        await pp.waitForLoadState('load');
      } else {
        await Promise.all([page.waitForURL(/\/ban-in/, { waitUntil: 'load' }), link.click()]);
      }
      const url = new URL(pp.url());
      check(url.pathname === `/bai-viet/${articleId}/ban-in`, `print URL is ${url.pathname}, expected /bai-viet/${articleId}/ban-in`);
      const info = await pp.evaluate(() => {
        let print = false;
        for (const l of document.querySelectorAll('link[rel~=stylesheet][media]')) if (/\bprint\b/.test(l.media)) print = true;
        const walk = (rules) => {
          for (const r of rules) {
            if (r.media && /\bprint\b/.test(r.media.mediaText)) print = true;
            if (r.cssRules) walk(r.cssRules);
            if (r.styleSheet) { try { if (/\bprint\b/.test(r.styleSheet.media.mediaText)) print = true; walk(r.styleSheet.cssRules); } catch {} }
          }
        };
        for (const s of document.styleSheets) {
          if (s.media && /\bprint\b/.test(s.media.mediaText)) print = true;
          try { walk(s.cssRules); } catch { /* cross-origin */ }
        }
        return {
          print,
          nav: document.querySelectorAll('nav, [role=navigation]').length,
          text: window.__e2e.norm(document.body.textContent),
          h1: window.__e2e.norm(document.querySelector('h1')?.textContent),
        };
      });
      check(info.text.toLocaleUpperCase('vi').includes(TITLE), 'print version lacks the title');
      check(bodySnippet, 'could not take a body snippet from the article page');
      check(info.text.includes(bodySnippet), `print version lacks the article body ("${bodySnippet}...")`);
      check(info.print, 'no print stylesheet (no <link rel=stylesheet media=print>, no @media print)');
      check(info.nav === 0, `print version has ${info.nav} <nav>/role=navigation element(s)`);
      await pp.emulateMedia({ media: 'print' });
      const file = await shot(pp, 'print.png');
      await pp.emulateMedia({ media: null });
      if (pp !== page) await pp.close();
      return file;
    });

    // -- "Xem theo ngày" archive form
    await step(`"Xem theo ngày" ${ARCHIVE_DAY} lands on /luu-tru/${ARCHIVE_DAY} listing the sample and another article`, async () => {
      needArticle();
      await goto(page, articleUrl);
      const input = page.locator('input[type=date][name=ngay]').first();
      check(await input.count() > 0, 'no <input type=date name=ngay>');
      await input.fill(ARCHIVE_DAY);
      const form = page.locator('form').filter({ has: page.locator('input[name=ngay]') }).first();
      const submit = form.locator('button, input[type=submit]').filter({ hasText: /Xem/ }).or(form.locator('input[type=submit][value*=Xem]')).first();
      check(await submit.count() > 0, 'no "Xem" submit button in the date form');
      await Promise.all([page.waitForURL(new RegExp(`/luu-tru/${ARCHIVE_DAY}$`), { waitUntil: 'load' }), submit.click()]);
      const ids = await page.evaluate(() => {
        const root = document.querySelector('main') || document.body;
        return [...new Set([...root.querySelectorAll('a[href]')]
          .map((a) => /\/bai-viet\/(\d+)-/.exec(new URL(a.href).pathname)).filter(Boolean).map((m) => m[1]))];
      });
      check(ids.includes(articleId), `archive does not link article ${articleId} (links: ${ids.join(', ') || 'none'})`);
      const others = ids.filter((i) => i !== articleId);
      check(others.length >= 1, 'archive lists no other article');
      await shot(page, 'archive.png');
      return `${ids.length} article(s)`;
    });

    // -- category page
    await step('category page (first category link on home) loads', async () => {
      await goto(page, u('/'));
      const link = page.locator('a[href*="/chuyen-muc/"]').first();
      check(await link.count() > 0, 'no /chuyen-muc/ link on home');
      await Promise.all([page.waitForURL(/\/chuyen-muc\//, { waitUntil: 'load' }), link.click()]);
      await shot(page, 'category.png');
      return new URL(page.url()).pathname;
    });
    await step('axe: category page has no serious/critical violations', async () => {
      check(/\/chuyen-muc\//.test(page.url()), 'not on a category page');
      return await axeCheck(page, 'category');
    });

    // -- search
    await step('search "tam guong" lists the sample article', async () => {
      await goto(page, u(SEARCH_PATH));
      const found = await markSampleLink(page);
      check(found, `no result titled "${TITLE}"`);
      return await shot(page, 'search.png');
    });
    await step('axe: search results have no serious/critical violations', async () => {
      check(page.url().includes('/tim-kiem'), 'not on the search page');
      return await axeCheck(page, 'search');
    });
    await ctx.close();

    // -- phone width
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      locale: 'vi-VN', bypassCSP: true,
    });
    await phone.addInitScript(INIT_SCRIPT);
    const pp = await phone.newPage();
    pp.setDefaultTimeout(STEP_TIMEOUT_MS);
    pp.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    const noHScroll = async (url, name) => {
      await goto(pp, url);
      const w = await pp.evaluate(() => document.documentElement.scrollWidth);
      const file = await shot(pp, name);
      check(w <= 390, `scrollWidth ${w} > 390 (horizontal scroll); see ${file}`);
      return `scrollWidth ${w}; ${file}`;
    };
    await step('phone 390x844: home has no horizontal scroll', () => noHScroll(u('/'), 'home-390.png'));
    await step('phone 390x844: article has no horizontal scroll', async () => {
      needArticle();
      return await noHScroll(articleUrl, 'article-390.png');
    });
    await phone.close();

    if (process.env.PHUONG_URL) diag('province flow skipped: it needs the server this script starts');
    else await provinceFlow(browser, base);
  } finally {
    await browser.close();
  }
}

// A province admin creates a commune with its host name and first admin; that admin
// signs in on the commune's own address with the one-time password and must replace it.
async function provinceFlow(browser, base) {
  const port = new URL(base).port;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true });
  await ctx.addInitScript(INIT_SCRIPT);
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const signIn = async (url, user, password) => {
    await goto(page, url);
    await page.fill('#username', user);
    await page.fill('#password', password);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  };
  let oneTime = null;
  await step('province admin signs in and opens "Đơn vị"', async () => {
    await signIn(new URL('/quan-tri/dang-nhap', base).href, PROVINCE_USER, PROVINCE_PASSWORD);
    await Promise.all([page.waitForURL(/\/quan-tri\/tinh\/don-vi$/), page.getByRole('link', { name: 'Đơn vị', exact: true }).first().click()]);
    await expectVisibleText(page, 'Thêm đơn vị');
    return await axeCheck(page, 'units');
  });
  await step('province admin creates "Xã Bình An" and is shown its admin\'s one-time password', async () => {
    await page.fill('#new-code', '27001');
    await page.fill('#new-name', 'Xã Bình An');
    await page.fill('#new-hosts', COMMUNE_HOST);
    await page.fill('#new-admin', 'quantri-binhan');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Tạo đơn vị' }).click()]);
    await expectVisibleText(page, 'Đã tạo đơn vị Xã Bình An');
    oneTime = norm(await page.locator('#one-time-password').textContent());
    check(/^[A-Za-z0-9]{16}$/.test(oneTime), `one-time password "${oneTime}"`);
    return await shot(page, 'province-unit-created.png');
  });
  await ctx.close();

  const commune = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'vi-VN', bypassCSP: true });
  await commune.addInitScript(INIT_SCRIPT);
  const cp = await commune.newPage();
  cp.setDefaultTimeout(STEP_TIMEOUT_MS);
  await step('the commune\'s admin signs in on its own address and must set a new password', async () => {
    check(oneTime, 'no one-time password');
    const home = `http://${COMMUNE_HOST}:${port}`;
    await goto(cp, `${home}/quan-tri/dang-nhap`);
    await cp.fill('#username', 'quantri-binhan');
    await cp.fill('#password', oneTime);
    await Promise.all([cp.waitForURL(/\/quan-tri\/mat-khau$/), cp.getByRole('button', { name: 'Đăng nhập' }).click()]);
    await cp.fill('#current_password', oneTime);
    await cp.fill('#password', 'Mật khẩu của xã Bình An 2026');
    await cp.fill('#password_again', 'Mật khẩu của xã Bình An 2026');
    await Promise.all([cp.waitForLoadState('load'), cp.getByRole('button', { name: 'Đổi mật khẩu' }).click()]);
    await goto(cp, `${home}/`);
    await expectVisibleText(cp, 'Xã Bình An');
    const w = await cp.evaluate(() => document.documentElement.scrollWidth);
    check(w <= 390, `scrollWidth ${w} > 390`);
    return await shot(cp, 'commune-home-390.png');
  });
  await commune.close();
}

await main({
  run,
  server: {
    name: 'e2e', // a province admin for the province flow, made on the command line as admins do
    accounts: [{ user: PROVINCE_USER, role: 'province_admin', password: PROVINCE_PASSWORD }],
  },
  startLabel: 'server starts and answers /robots.txt',
  timeoutMs: OVERALL_TIMEOUT_MS,
  allowUrl: true,
});

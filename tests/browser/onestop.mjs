#!/usr/bin/env node
// End-to-end browser check of the one-stop shop as people click through it: a citizen on a
// phone finds a procedure and submits a dossier online; the clerk finds it in the queue and
// receives another at the counter (receipt Mẫu 01 with its QR code); the specialist takes
// and submits it, the leader signs, the clerk returns the result, each in a session of their
// own; the citizen looks the dossier up and rates it; the leader reads the month's figures;
// the public promise board on a phone.
//
// Usage (from the repo root or from tests/browser):
//   cd tests/browser && npm ci && node onestop.mjs
//
// Environment:
//   PHUONG_BIN     server binary (relative paths: cwd first, then the repo root); the script
//                  starts `serve --listen 127.0.0.1:PORT --data TMPDIR --demo` itself, with
//                  staff accounts made by `phuong user add`, and stops it (SIGTERM) at the end.
//   PHUONG_TEST_PG when set (tools/test --store postgresql), a database of its own there.
//   CHROMIUM_PATH  browser binary, default /usr/bin/chromium (Debian package).
//
// Output is TAP-like, as article.mjs: `ok - ...` / `not ok - ...` lines, `# ...`
// diagnostics, a closing `N passed, M failed` line; exit code 1 if any check failed.
// Screenshots go to tests/browser/out/onestop-*.png (gitignored).

import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS, INIT_SCRIPT, axeCheck, check, diag, goto, main, norm, shot, step,
} from './lib.mjs';

const STEP_TIMEOUT_MS = 20_000;
const OVERALL_TIMEOUT_MS = 300_000;
const PHONE_WIDTH = 390;

const STAFF = {
  clerk: { user: 'canbo', role: 'clerk', password: 'Cán bộ một cửa 2026 #1' },
  specialist: { user: 'chuyenvien', role: 'specialist', password: 'Chuyên viên xử lý 2026 #1' },
  leader: { user: 'lanhdao', role: 'leader', password: 'Lãnh đạo ký duyệt 2026 #1' },
};
const CITIZEN = {
  name: 'Trần Thị Mai', id_number: '079188001234', address: '25 Nguyễn Trãi, Phường 9',
  phone: '0903 123 457', email: 'mai@example.vn',
};
const COUNTER_CITIZEN = {
  name: 'Lê Văn Bình', id_number: '079177005678', address: '8 Hai Bà Trưng, Phường 9',
  phone: '0912 888 321', email: '',
};
const SEARCH_WORDS = 'khai sinh';
const PROCEDURE_NAME = 'Đăng ký khai sinh';

// ---------------------------------------------------------------- page helpers
// Clicks something that loads a new page and waits until it has loaded; a 4xx/5xx answer fails.
async function clickThrough(page, locator, what) {
  check(await locator.count() > 0, `no ${what}`);
  const [resp] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.first().click(),
  ]);
  check(!resp || resp.status() < 400, `${what} -> HTTP ${resp && resp.status()} at ${page.url()}`);
  return resp;
}

// The page's width as the phone scrolls it; more than the viewport means a sideways scroll.
async function noSidewaysScroll(page, label) {
  const w = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
  check(w <= PHONE_WIDTH, `${label}: page is ${w}px wide on a ${PHONE_WIDTH}px phone (horizontal scroll)`);
  return w;
}

async function textOf(page, selector) {
  const el = page.locator(selector);
  check(await el.count() > 0, `no ${selector} on ${new URL(page.url()).pathname}`);
  return norm(await el.first().textContent());
}

// CRC-32 of a PNG chunk (zlib.crc32 exists only from Node 20.15; Debian 12 has Node 18).
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// A valid RGB PNG, as a phone's photo of a paper would be (tests/http/util.py png_bytes).
function pngBytes(width = 48, height = 32) {
  const chunk = (kind, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push((x * 255 / (width - 1)) | 0, (y * 255 / (height - 1)) | 0, 128);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

// ---------------------------------------------------------------- contexts
async function newPage(browser, kind) {
  const opts = kind === 'phone'
    ? { viewport: { width: PHONE_WIDTH, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
    : { viewport: { width: 1280, height: 900 } };
  const ctx = await browser.newContext({ ...opts, locale: 'vi-VN', bypassCSP: true });
  await ctx.addInitScript(INIT_SCRIPT);
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', (e) => diag(`page error on ${page.url()}: ${e.message}`));
  return page;
}

// Signs in through the form; when the app asks for a new password at the first sign-in,
// sets one (and remembers it) as the person would.
async function signIn(page, base, who) {
  await goto(page, new URL('/quan-tri/dang-nhap', base).href);
  await page.fill('#username', who.user);
  await page.fill('#password', who.password);
  await clickThrough(page, page.getByRole('button', { name: 'Đăng nhập' }), '"Đăng nhập" button');
  const at = new URL(page.url()).pathname;
  if (at === '/quan-tri/mat-khau') {
    const fresh = `${who.password} mới`;
    await page.fill('#current_password', who.password);
    await page.fill('#password', fresh);
    await page.fill('#password_again', fresh);
    await clickThrough(page, page.getByRole('button', { name: 'Đổi mật khẩu' }), '"Đổi mật khẩu" button');
    who.password = fresh;
    diag(`${who.user} had to set a new password at the first sign-in`);
  } else {
    check(at !== '/quan-tri/dang-nhap', `${who.user} could not sign in (still on the sign-in page)`);
  }
}

// Opens a dossier from the queue by clicking its code.
async function openFromQueue(page, base, code) {
  // The printed forms have no menu: back to the admin home first, as a person would.
  if (await page.locator('nav.admin-nav').count() === 0) await goto(page, new URL('/quan-tri', base).href);
  await clickThrough(page, page.locator('nav.admin-nav a', { hasText: /^\s*Hồ sơ\s*$/ }), '"Hồ sơ" in the admin menu');
  check(new URL(page.url()).pathname === '/quan-tri/ho-so', `"Hồ sơ" led to ${page.url()}`);
  await clickThrough(page, page.locator('table.dossier-queue a', { hasText: code }), `queue link to ${code}`);
  check(new URL(page.url()).pathname === `/quan-tri/ho-so/${code}`, `the queue link led to ${page.url()}`);
}

async function dossierStatus(page) {
  const dd = page.locator('#dossier-status');
  check(await dd.count() === 1, 'no #dossier-status on the dossier page');
  return { status: await dd.getAttribute('data-status'), label: norm(await dd.textContent()) };
}

// One step of the flow: the button with exactly this label on the dossier page.
async function pressStep(page, label, wantStatus) {
  const button = page.getByRole('button', { name: label, exact: true });
  await clickThrough(page, button, `"${label}" button`);
  check(new URL(page.url()).pathname.startsWith('/quan-tri/ho-so/'), `after "${label}": ${page.url()}`);
  const st = await dossierStatus(page);
  check(st.status === wantStatus, `after "${label}" the status is ${st.status} ("${st.label}"), expected ${wantStatus}`);
  return st.label;
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
    let code = null;       // the online dossier
    let counterCode = null; // the one received at the counter
    const needCode = () => check(code, 'no online dossier was submitted');

    // 1. a citizen on a phone
    const phone = await newPage(browser, 'phone');
    await step(`citizen (phone): searches "${SEARCH_WORDS}" on /thu-tuc and opens "${PROCEDURE_NAME}"`, async () => {
      await goto(phone, u('/thu-tuc'));
      await phone.fill('#tim-thu-tuc', SEARCH_WORDS);
      await clickThrough(phone, phone.locator('form.procedure-search button[type=submit]'), 'search button');
      const names = (await phone.locator('a.procedure-name').allTextContents()).map(norm);
      check(names.includes(PROCEDURE_NAME), `results: ${JSON.stringify(names)}`);
      await clickThrough(phone, phone.locator('a.procedure-name', { hasText: new RegExp(`^\\s*${PROCEDURE_NAME}\\s*$`) }),
        `result "${PROCEDURE_NAME}"`);
      check(norm(await phone.locator('h1').first().textContent()) === PROCEDURE_NAME, `h1 on ${phone.url()}`);
      const w = await noSidewaysScroll(phone, 'procedure page');
      return `${names.length} result(s); page width ${w}; ${await shot(phone, 'onestop-procedure-390.png')}`;
    });
    await step('axe: procedure page has no serious/critical violations', () => axeCheck(phone, 'procedure'));
    await step('citizen (phone): "Nộp hồ sơ trực tuyến", fills the form with a photo attached and sends it', async () => {
      await clickThrough(phone, phone.getByRole('link', { name: 'Nộp hồ sơ trực tuyến', exact: true }),
        '"Nộp hồ sơ trực tuyến" link');
      check(/\/nop-truc-tuyen$/.test(new URL(phone.url()).pathname), `link led to ${phone.url()}`);
      await noSidewaysScroll(phone, 'online form');
      await axeCheck(phone, 'online form');
      for (const [field, value] of Object.entries(CITIZEN)) await phone.fill(`#${field}`, value);
      await phone.setInputFiles('#tep', { name: 'giay-chung-sinh.png', mimeType: 'image/png', buffer: pngBytes() });
      await shot(phone, 'onestop-online-form-390.png');
      await clickThrough(phone, phone.getByRole('button', { name: 'Gửi hồ sơ', exact: true }), '"Gửi hồ sơ" button');
      const errors = await phone.locator('.error').allTextContents();
      check(errors.length === 0, `the form answered: ${errors.map(norm).join(' / ')}`);
      code = await textOf(phone, '#dossier-code');
      const due = await textOf(phone, '#dossier-due');
      check(/^\S+$/.test(code) && code.length >= 6, `dossier code "${code}"`);
      check(due.length > 0, 'no appointment shown');
      const w = await noSidewaysScroll(phone, 'submitted page');
      return `code ${code}, appointment "${due}"; page width ${w}; ${await shot(phone, 'onestop-submitted-390.png')}`;
    });
    await step('axe: "Đã nhận hồ sơ trực tuyến" page has no serious/critical violations', async () => {
      needCode();
      return await axeCheck(phone, 'submitted');
    });

    // 2. the clerk at a desktop
    const clerk = await newPage(browser, 'desktop');
    await step('clerk (1280x900): signs in, finds the online dossier in the queue and opens it', async () => {
      needCode();
      await signIn(clerk, base, STAFF.clerk);
      await openFromQueue(clerk, base, code);
      const st = await dossierStatus(clerk);
      check(st.status === 'received', `status ${st.status} ("${st.label}")`);
      const files = (await clerk.locator('#dossier-files li').allTextContents()).map(norm);
      check(files.some((f) => f.includes('giay-chung-sinh.png')), `attached files: ${JSON.stringify(files)}`);
      const facts = norm(await clerk.locator('dl.dossier-facts').textContent());
      check(facts.includes(CITIZEN.name), `the dossier does not show the applicant "${CITIZEN.name}"`);
      return `"${st.label}"; ${await shot(clerk, 'onestop-clerk-dossier.png')}`;
    });
    await step('axe: dossier page (staff) has no serious/critical violations', async () => {
      needCode();
      return await axeCheck(clerk, 'dossier (staff)');
    });
    await step('clerk: receives a dossier at the counter (/quan-tri/ho-so/tiep-nhan) and gets the receipt Mẫu 01 with QR and code', async () => {
      await goto(clerk, u('/quan-tri/ho-so'));
      await clickThrough(clerk, clerk.getByRole('link', { name: 'Tiếp nhận hồ sơ', exact: true }), '"Tiếp nhận hồ sơ" link');
      check(new URL(clerk.url()).pathname === '/quan-tri/ho-so/tiep-nhan', `link led to ${clerk.url()}`);
      const options = await clerk.locator('#thu-tuc option').evaluateAll((os) => os.map((o) => ({ v: o.value, t: o.textContent })));
      const choice = options.find((o) => norm(o.t) === PROCEDURE_NAME) || options[0];
      check(choice, 'no procedure to choose');
      await clerk.selectOption('#thu-tuc', choice.v);
      await clickThrough(clerk, clerk.getByRole('button', { name: 'Chọn thủ tục', exact: true }), '"Chọn thủ tục" button');
      for (const [field, value] of Object.entries(COUNTER_CITIZEN)) if (value) await clerk.fill(`#${field}`, value);
      await clickThrough(clerk, clerk.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn', exact: true }),
        '"Tiếp nhận và in giấy hẹn" button');
      const m = /^\/quan-tri\/ho-so\/([^/]+)\/bien-nhan$/.exec(new URL(clerk.url()).pathname);
      const errors = await clerk.locator('.error').allTextContents();
      check(m, `after intake at ${clerk.url()}${errors.length ? `: ${errors.map(norm).join(' / ')}` : ''}`);
      counterCode = decodeURIComponent(m[1]);
      const h1 = norm(await clerk.locator('h1').first().textContent());
      check(h1 === 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', `receipt h1 "${h1}"`);
      check(await textOf(clerk, '#dossier-code') === counterCode, 'the receipt does not show the code');
      check(await textOf(clerk, '#r-name') === COUNTER_CITIZEN.name, 'the receipt does not show the applicant');
      const qr = await clerk.evaluate(() => {
        const box = document.querySelector('.receipt-qr');
        if (!box) return null;
        const svg = box.querySelector('svg');
        if (svg) return { kind: 'svg', w: svg.getBoundingClientRect().width };
        const img = box.querySelector('img');
        return img && { kind: 'img', w: img.naturalWidth, src: img.currentSrc, complete: img.complete };
      });
      check(qr, 'no QR code (.receipt-qr with <svg> or <img>) on the receipt');
      check(qr.w > 0, `the QR ${qr.kind} did not load (${qr.src || ''})`);
      const inBox = await clerk.locator('.receipt-qr').getAttribute('data-code');
      check(inBox === counterCode, `QR box is for "${inBox}"`);
      return `${counterCode}, QR ${qr.kind} ${qr.w}px; ${await shot(clerk, 'onestop-receipt.png')}`;
    });
    await step('clerk: the online dossier\'s page links its receipt, which shows the code and the QR', async () => {
      needCode();
      await openFromQueue(clerk, base, code);
      await clickThrough(clerk, clerk.getByRole('link', { name: 'Giấy tiếp nhận và hẹn trả', exact: true }), 'receipt link');
      check(await textOf(clerk, '#dossier-code') === code, 'the receipt does not show the code');
      const w = await clerk.evaluate(() => { const i = document.querySelector('.receipt-qr img, .receipt-qr svg'); return i ? (i.naturalWidth ?? i.getBoundingClientRect().width) : 0; });
      check(w > 0, 'no loaded QR on the receipt');
    });

    // 3. the flow, each person in a session of their own
    const specialist = await newPage(browser, 'desktop');
    await step('specialist: signs in, opens the dossier, "Nhận xử lý" then "Trình ký"', async () => {
      needCode();
      await signIn(specialist, base, STAFF.specialist);
      await openFromQueue(specialist, base, code);
      check(await specialist.getByRole('button', { name: 'Ký duyệt', exact: true }).count() === 0,
        'the specialist is offered "Ký duyệt"');
      const a = await pressStep(specialist, 'Nhận xử lý', 'processing');
      const b = await pressStep(specialist, 'Trình ký', 'awaiting_signature');
      return `"${a}" -> "${b}"`;
    });
    const leader = await newPage(browser, 'desktop');
    await step('leader: signs in, opens the dossier, "Ký duyệt"', async () => {
      needCode();
      await signIn(leader, base, STAFF.leader);
      await openFromQueue(leader, base, code);
      const label = await pressStep(leader, 'Ký duyệt', 'result_ready');
      return `"${label}"; ${await shot(leader, 'onestop-leader-signed.png')}`;
    });
    await step('clerk: opens the dossier again, "Trả kết quả"', async () => {
      needCode();
      await openFromQueue(clerk, base, code);
      const label = await pressStep(clerk, 'Trả kết quả', 'returned');
      const history = (await clerk.locator('ol.dossier-history li').allTextContents()).map(norm);
      check(history.length >= 5, `history has ${history.length} step(s): ${JSON.stringify(history)}`);
      return `"${label}", ${history.length} steps in the history; ${await shot(clerk, 'onestop-clerk-returned.png')}`;
    });

    // 4. the citizen looks it up and rates it
    const lastFour = CITIZEN.phone.replace(/\D/g, '').slice(-4);
    const lookUp = async () => {
      await goto(phone, u('/'));
      await goto(phone, u('/tra-cuu-ho-so'));
      await phone.fill('#ma', code);
      await phone.fill('#sdt', lastFour);
      await clickThrough(phone, phone.getByRole('button', { name: 'Tra cứu', exact: true }), '"Tra cứu" button');
      check(await phone.locator('#lookup-not-found').count() === 0, `lookup of ${code} / ${lastFour} found nothing`);
    };
    await step('citizen (phone): looks the dossier up by code and the last 4 phone digits, sees "Đã trả kết quả"', async () => {
      needCode();
      await lookUp();
      const st = await textOf(phone, '#lookup-status');
      check(st === 'Đã trả kết quả', `status "${st}"`);
      const w = await noSidewaysScroll(phone, 'lookup');
      return `page width ${w}; ${await shot(phone, 'onestop-lookup-390.png')}`;
    });
    await step('axe: lookup result has no serious/critical violations', async () => {
      needCode();
      return await axeCheck(phone, 'lookup');
    });
    await step('citizen (phone): "Đánh giá mức độ hài lòng", taps "Rất hài lòng", sends, sees the thanks', async () => {
      needCode();
      await clickThrough(phone, phone.locator('#rating-offer'), '"Đánh giá mức độ hài lòng" button');
      check(await textOf(phone, '#rating-code') === code, 'the rating form is not for this dossier');
      await noSidewaysScroll(phone, 'rating form');
      await axeCheck(phone, 'rating form');
      // The big choice: the label around the radio, tapped as a finger would.
      const choice = phone.locator('fieldset.rating-overall label.rating-choice', { hasText: /^\s*Rất hài lòng\s*$/ });
      check(await choice.count() === 1, `${await choice.count()} "Rất hài lòng" choice(s)`);
      const box = await choice.boundingBox();
      check(box && box.height >= 44, `the "Rất hài lòng" choice is ${box ? Math.round(box.height) : 0}px high, smaller than a finger (44px)`);
      await choice.tap();
      check(await choice.locator('input[type=radio]').isChecked(), 'tapping "Rất hài lòng" did not choose it');
      await shot(phone, 'onestop-rating-form-390.png');
      await clickThrough(phone, phone.getByRole('button', { name: 'Gửi đánh giá', exact: true }), '"Gửi đánh giá" button');
      const done = await textOf(phone, '#rating-done');
      check(done.includes(code) && done.includes('Rất hài lòng'), `thanks say "${done}"`);
      const w = await noSidewaysScroll(phone, 'thanks');
      return `page width ${w}; ${await shot(phone, 'onestop-rating-done-390.png')}`;
    });
    await step('axe: thank-you page has no serious/critical violations', async () => {
      needCode();
      return await axeCheck(phone, 'thanks');
    });
    await step('citizen (phone): back on the lookup, the dossier shows as rated with no rating button', async () => {
      needCode();
      await lookUp();
      check(await phone.locator('#rating-given').count() === 1, 'no "đã được đánh giá" note');
      check(await phone.locator('#rating-offer').count() === 0, 'the rating button is still offered');
      return await textOf(phone, '#rating-given');
    });

    // 5. the leader's figures; the public promise board on the phone
    await step('leader: "Thống kê" shows this month\'s received (>= 2) and returned dossiers and the chart', async () => {
      needCode();
      await clickThrough(leader, leader.locator('nav.admin-nav a', { hasText: /^\s*Thống kê\s*$/ }), '"Thống kê" in the admin menu');
      check(new URL(leader.url()).pathname === '/quan-tri/thong-ke', `menu led to ${leader.url()}`);
      const num = async (sel) => Number((await textOf(leader, sel)).replace(/\D/g, ''));
      const received = await num('#sum-received');
      const finished = await num('#sum-finished');
      check(received >= 2, `Tiếp nhận ${received}, expected at least 2`);
      check(finished >= 1, `Đã giải quyết ${finished}, expected at least 1`);
      const chart = await leader.evaluate(() => {
        const svg = document.querySelector('figure.stats-figure svg');
        if (!svg) return null;
        const r = svg.getBoundingClientRect();
        return { w: r.width, h: r.height, marks: svg.querySelectorAll('rect, path, polyline, line, circle').length };
      });
      check(chart, 'no chart <svg> in figure.stats-figure');
      check(chart.w > 100 && chart.h > 50 && chart.marks > 0, `chart ${JSON.stringify(chart)}`);
      const veryHappy = await num('#rating-3');
      check(veryHappy >= 1, `"Rất hài lòng" this month: ${veryHappy}`);
      return `Tiếp nhận ${received}, Đã giải quyết ${finished}, Rất hài lòng ${veryHappy}; chart ${Math.round(chart.w)}x${Math.round(chart.h)}; ${await shot(leader, 'onestop-stats.png')}`;
    });
    await step('axe: statistics page has no serious/critical violations', () => axeCheck(leader, 'statistics'));
    await step('public (phone): /cam-ket-phuc-vu from the procedures list, no sideways scroll of the page', async () => {
      await goto(phone, u('/thu-tuc'));
      await clickThrough(phone, phone.locator('.promise-link a'), 'promise board link');
      check(new URL(phone.url()).pathname === '/cam-ket-phuc-vu', `link led to ${phone.url()}`);
      const rows = (await phone.locator('#dung-han tbody th[scope=row]').allTextContents()).map(norm);
      check(rows.includes(PROCEDURE_NAME), `the board's procedures: ${JSON.stringify(rows)}`);
      const total = Number((await textOf(phone, '#ratings-total')).replace(/\D/g, ''));
      check(total >= 1, `ratings total ${total}`);
      // Wide tables may scroll inside their own .table-wrap; the page itself must not.
      const inner = await phone.evaluate(() => [...document.querySelectorAll('.table-wrap')]
        .map((t) => ({ client: t.clientWidth, scroll: t.scrollWidth, overflow: getComputedStyle(t).overflowX })));
      for (const t of inner) check(t.scroll <= t.client || /auto|scroll/.test(t.overflow),
        `a table is ${t.scroll}px wide in a ${t.client}px box that does not scroll (${t.overflow})`);
      const w = await noSidewaysScroll(phone, 'promise board');
      const scrolling = inner.filter((t) => t.scroll > t.client).length;
      return `page width ${w}; ${scrolling} of ${inner.length} table(s) scroll in their own box; ${await shot(phone, 'onestop-board-390.png')}`;
    });
    await step('axe: promise board has no serious/critical violations', () => axeCheck(phone, 'promise board'));
  } finally {
    await browser.close();
  }
}

await main({
  run,
  server: {
    name: 'onestop', // the office's staff, made on the command line as an admin does
    accounts: Object.values(STAFF),
    strictExit: true, // a crash at shutdown (e.g. under ASan) is a failed check here
  },
  startLabel: 'server starts with staff accounts and answers /robots.txt',
  timeoutMs: OVERALL_TIMEOUT_MS,
});

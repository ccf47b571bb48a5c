// lib.mjs: what the browser checks share: TAP-like reporting, a phuong server of their own
// on a free port (SQLite in a temporary folder, or a database of its own when PHUONG_TEST_PG
// is set) with accounts made on the command line, page helpers (goto, screenshots, axe), and
// the run with its watchdog. Used by article.mjs and onestop.mjs.

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const OUT = path.join(HERE, 'out');
const AXE_PATH = require.resolve('axe-core/axe.min.js');

// ---------------------------------------------------------------- reporting
let passed = 0;
let failed = 0;
export const ok = (msg) => { passed++; console.log(`ok - ${msg}`); };
export const notOk = (msg) => { failed++; console.log(`not ok - ${msg}`); };
export const diag = (msg) => { for (const l of String(msg).split('\n')) console.log(`# ${l}`); };

export class CheckError extends Error {}
export function check(cond, msg) { if (!cond) throw new CheckError(msg); }

export async function step(name, fn) {
  try {
    const detail = await fn();
    ok(detail ? `${name} (${detail})` : name);
    return true;
  } catch (e) {
    notOk(name);
    diag(e instanceof CheckError ? e.message : (e && e.stack) || String(e));
    return false;
  }
}

export const norm = (s) => String(s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- server
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function resolveBin() {
  const bin = process.env.PHUONG_BIN || 'build/phuong';
  if (path.isAbsolute(bin)) return bin;
  const fromCwd = path.resolve(process.cwd(), bin);
  if (fs.existsSync(fromCwd)) return fromCwd;
  return path.resolve(REPO, bin);
}

let server = null; // { proc, dir, logPath, exited, strictExit }

// Starts `phuong serve --demo` on a free port after making the accounts
// [{ user, role, password }] with `phuong user add`, as an admin does; returns its base URL.
// name: the temporary folder's and the PostgreSQL database's prefix. strictExit: a stop
// other than by our SIGTERM counts as a failed check (else it is only reported).
export async function startServer({ name, accounts = [], strictExit = false }) {
  const bin = resolveBin();
  if (!fs.existsSync(bin)) throw new CheckError(`server binary not found: ${bin} (set PHUONG_BIN or PHUONG_URL)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `phuong-${name}-`));
  const port = await freePort();
  const logPath = path.join(dir, 'server.log');
  const store = ['--data', dir];
  const pg = (process.env.PHUONG_TEST_PG || '').replace(/\/+$/, '');
  if (pg) {
    const db = `${name}_${process.pid}`;
    const made = spawnSync('createdb', ['--maintenance-db', `${pg}/postgres`, db], { encoding: 'utf8' });
    if (made.status !== 0) throw new CheckError(`createdb ${db}: ${made.stderr}`);
    store.push('--database', `${pg}/${db}`);
  }
  for (const { user, role, password } of accounts) {
    const made = spawnSync(bin, ['user', 'add', user, '--role', role, ...store, '--password-stdin'],
      { cwd: REPO, input: `${password}\n`, encoding: 'utf8' });
    if (made.status !== 0) throw new CheckError(`user add ${user}: ${made.stderr}`);
  }
  const args = ['serve', '--listen', `127.0.0.1:${port}`, ...store, '--demo'];
  diag(`starting ${bin} ${args.join(' ')}`);
  const logFd = fs.openSync(logPath, 'a');
  const proc = spawn(bin, args, { cwd: REPO, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  let exited = null;
  proc.on('exit', (code, sig) => { exited = { code, sig }; });
  server = { proc, dir, logPath, strictExit, get exited() { return exited; } };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) throw new CheckError(`server exited early (code ${exited.code}, signal ${exited.sig})`);
    try {
      const r = await fetch(`${base}/robots.txt`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) { await r.arrayBuffer(); return base; }
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new CheckError('server did not answer /robots.txt within 20 s');
}

export async function stopServer() {
  if (!server) return;
  const { proc, dir, logPath, strictExit } = server;
  if (!server.exited) {
    const done = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => { if (!server.exited) proc.kill('SIGKILL'); }, 5000);
    await done;
    clearTimeout(t);
  }
  const ex = server.exited;
  const badExit = ex && ex.sig !== 'SIGTERM' && ex.code !== 0;
  if (badExit && strictExit) notOk(`server exits cleanly (code ${ex.code}, signal ${ex.sig})`);
  else if (badExit) diag(`server exit: code ${ex.code}, signal ${ex.sig}`);
  if (failed > 0 || badExit) {
    try {
      const log = fs.readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
      if (log.trim()) diag(`server log (last lines):\n${log}`);
    } catch { /* no log */ }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  server = null;
}

// ---------------------------------------------------------------- page helpers
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP *.test 127.0.0.1', // a province's units by host name
];

// Injected into every page (CDP init script; not subject to the page's CSP).
export const INIT_SCRIPT = `
window.__e2e = {
  norm: (s) => String(s == null ? '' : s).normalize('NFC').replace(/\\s+/g, ' ').trim(),
  // Deepest elements whose textContent contains the phrase, with visibility.
  findText(phrase, root) {
    const n = window.__e2e.norm, want = n(phrase);
    root = root || document.body;
    const hits = [...root.querySelectorAll('*')].filter((el) => n(el.textContent).includes(want));
    const leaves = hits.filter((el) => ![...el.children].some((c) => n(c.textContent).includes(want)));
    return leaves.map((el) => ({
      tag: el.tagName.toLowerCase(),
      text: n(el.textContent).slice(0, 200),
      visible: typeof el.checkVisibility === 'function'
        ? el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
        : !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length),
    }));
  },
};`;

export async function goto(page, url) {
  const resp = await page.goto(url, { waitUntil: 'load' });
  check(resp, `no response for ${url}`);
  check(resp.status() < 400, `${url} -> HTTP ${resp.status()}`);
  return resp;
}

export async function shot(page, name, opts = {}) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, name);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  return path.relative(REPO, file);
}

export async function axeCheck(page, label) {
  await page.addScriptTag({ path: AXE_PATH });
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
      target: v.nodes[0] ? v.nodes[0].target.join(' ') : '',
    }));
  });
  const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = res.filter((v) => !bad.includes(v));
  for (const v of minor) diag(`axe ${label}: ${v.id} (${v.impact}, ${v.count} node(s)) first target: ${v.target}`);
  check(bad.length === 0, bad.map((v) =>
    `axe ${label}: ${v.id} impact=${v.impact} nodes=${v.count} first target: ${v.target} — ${v.help}`).join('\n'));
  return `${res.length} minor/moderate`;
}

// ---------------------------------------------------------------- the run
// Runs run(base) against PHUONG_URL when allowUrl and it is set, else against a server of
// its own (started as startServer's options say, under the check `startLabel`); stops the
// whole run after timeoutMs; prints the closing "N passed, M failed" line and sets the exit
// code.
export async function main({ run, server: serverOptions, startLabel, timeoutMs, allowUrl = false }) {
  let base = allowUrl && process.env.PHUONG_URL ? process.env.PHUONG_URL.replace(/\/+$/, '') : null;
  const watchdog = setTimeout(async () => {
    notOk(`whole run finished within ${timeoutMs / 1000} s`);
    console.log(`${passed} passed, ${failed} failed`);
    await stopServer().catch(() => {});
    process.exit(1);
  }, timeoutMs);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => { await stopServer().catch(() => {}); process.exit(130); });
  }
  try {
    if (!base) {
      const started = await step(startLabel, async () => {
        base = await startServer(serverOptions);
        return base;
      });
      if (!started) return;
    } else {
      diag(`using PHUONG_URL=${base}`);
    }
    await run(base).catch((e) => { notOk('browser run completed'); diag(e.stack || String(e)); });
  } finally {
    await stopServer().catch((e) => diag(`stopping server: ${e}`));
    clearTimeout(watchdog);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  }
}

// Shared by the end-to-end tests and the screenshots: a real Tutorbase
// server on a temp data dir seeded with the demo school, headless Chromium
// (Debian's) driven by playwright-core, and helpers that sign users in.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'tutorbase');
export const DEMO_PASSWORD = 'demo-lessons-2027';
export const SUPERUSER = { email: 'owner@demo.tutorbase.localhost', password: 'demo-owner-password-2027' };
export const demo = (name) => `${name}@demo.tutorbase.localhost`;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

/** Seeds a temp data dir with the demo school and serves it, with env added; returns {url, stop}. */
export async function startServer({ log = false, env = {} } = {}) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run make build first`);
  const dir = mkdtempSync(join(tmpdir(), 'tutorbase-e2e-'));
  execFileSync(BIN, ['seed', '--demo', '--dir', dir], { stdio: log ? 'inherit' : 'ignore' });
  const port = Number(process.env.E2E_PORT) || await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(BIN, ['serve', '--http', `127.0.0.1:${port}`, '--dir', dir], {
    env: { ...process.env, ...env, TB_APP_URL: url }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; if (log) process.stdout.write(d); });
  proc.stderr.on('data', (d) => { output += d; if (log) process.stderr.write(d); });
  const deadline = Date.now() + 30000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    try { const r = await fetch(`${url}/api/health`); if (r.ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill(); throw new Error(`the server did not start:\n${output}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, dir,
    output: () => output,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => { if (proc.exitCode !== null) r(); else proc.once('exit', r); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Local stand-ins for Twilio (SMS, WhatsApp) and the Telegram Bot API, as
 * the Go tests use: what the server sends is recorded (sms, telegram.sent),
 * and telegram.write(chat, text) is a person writing to the school's bot.
 * env points the server at them.
 */
/** A fresh VAPID key pair (P-256, base64url), as `tutorbase vapid generate` prints one. */
export function vapidPair() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const raw = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return { publicKey: raw.toString('base64url'), privateKey: jwk.d };
}

export async function startStandIns() {
  const sms = [];
  const telegram = { updates: [], sent: [], next: 1 };
  telegram.write = (chat, text) => {
    telegram.updates.push({ update_id: telegram.next, message: { message_id: telegram.next, text, chat: { id: chat, type: 'private' } } });
    telegram.next += 1;
  };
  const srv = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const json = (status, body) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (req.url.startsWith('/2010-04-01/Accounts/')) {
        const form = Object.fromEntries(new URLSearchParams(raw));
        sms.push(form);
        return json(201, { sid: `SM${sms.length}`, status: 'queued' });
      }
      const m = /^\/bot[^/]+\/(\w+)$/.exec(req.url);
      const body = raw ? JSON.parse(raw) : {};
      switch (m && m[1]) {
        case 'getMe': return json(200, { ok: true, result: { id: 1, is_bot: true, username: 'TutorbaseE2EBot' } });
        case 'getUpdates': return json(200, { ok: true, result: telegram.updates.filter((u) => u.update_id >= (body.offset || 0)) });
        case 'sendMessage': telegram.sent.push(body); return json(200, { ok: true, result: { message_id: telegram.sent.length } });
        default: return json(404, { ok: false, error_code: 404, description: 'Not Found' });
      }
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${srv.address().port}`;
  const vapid = vapidPair();
  return {
    sms, telegram, vapid,
    env: {
      TWILIO_ACCOUNT_SID: 'ACe2e', TWILIO_AUTH_TOKEN: 'e2e-secret', TWILIO_FROM: '+15550001111', TWILIO_WHATSAPP_FROM: '+15550002222',
      TWILIO_API_BASE: base, TELEGRAM_BOT_TOKEN: '42:e2e-bot', TELEGRAM_API_BASE: base,
      TB_VAPID_PUBLIC_KEY: vapid.publicKey, TB_VAPID_PRIVATE_KEY: vapid.privateKey, TB_VAPID_SUBJECT: 'mailto:office@demo.tutorbase.localhost',
    },
    stop: () => new Promise((r) => srv.close(r)),
  };
}

export async function api(base, path, { method = 'GET', token, body } = {}) {
  const res = await fetch(base + path, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data; try { data = JSON.parse(text); } catch { data = text; }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return data;
}

const superuserTokens = new Map();
/** The superuser's token, signed in once per server (sign-ins are rate-limited). */
export async function superuserToken(base) {
  if (!superuserTokens.has(base)) {
    superuserTokens.set(base, (await api(base, '/api/collections/_superusers/auth-with-password', { method: 'POST', body: { identity: SUPERUSER.email, password: SUPERUSER.password } })).token);
  }
  return superuserTokens.get(base);
}

const auths = new Map();
/**
 * {token, record} of a users account, by password; admins (MFA) through
 * the superuser's impersonate API. Signed in once per server and account
 * (sign-ins are rate-limited); users.locale is set to locale each time.
 */
export async function authFor(base, email, { locale = 'en' } = {}) {
  const key = `${base} ${email}`;
  const known = auths.get(key);
  if (known) {
    if (locale && known.record.locale !== locale) {
      await api(base, `/api/collections/users/records/${known.record.id}`, { method: 'PATCH', token: await superuserToken(base), body: { locale } });
      known.record.locale = locale;
    }
    return known;
  }
  const su = await superuserToken(base);
  const list = await api(base, `/api/collections/users/records?filter=${encodeURIComponent(`email="${email}"`)}`, { token: su });
  if (!list.items.length) throw new Error(`no user ${email}`);
  const user = list.items[0];
  if (locale && user.locale !== locale) {
    // the app follows users.locale: tests and screenshots read English
    await api(base, `/api/collections/users/records/${user.id}`, { method: 'PATCH', token: su, body: { locale } });
  }
  const auth = user.role !== 'admin'
    ? await api(base, '/api/collections/users/auth-with-password', { method: 'POST', body: { identity: email, password: DEMO_PASSWORD } })
    : await api(base, `/api/collections/users/impersonate/${user.id}`, { method: 'POST', token: su, body: { duration: 3600 } });
  if (locale) auth.record.locale = locale;
  auths.set(key, auth);
  return auth;
}

/**
 * The link to path ("/verify-email") in the last email to `to`. The test
 * server has no SMTP, so the server logs each email instead (hooks/mailer.go:
 * a school without SMTP reads them in the dashboard's logs); read them
 * there, as the superuser.
 */
export async function emailedLink(base, to, path, { timeout = 10000 } = {}) {
  const su = await superuserToken(base);
  const deadline = Date.now() + timeout;
  const re = new RegExp(`${path.replace(/[/.]/g, '\\$&')}\\?token=([A-Za-z0-9._-]+)`);
  for (;;) {
    const logs = await api(base, `/api/logs?perPage=200&sort=-created&filter=${encodeURIComponent("message ~ 'email not sent'")}`, { token: su });
    for (const l of logs.items) {
      const m = l.data && l.data.to === to && re.exec(l.data.text || '');
      if (m) return `${path}?token=${m[1]}`;
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to} with a ${path} link`);
    await new Promise((r) => setTimeout(r, 250)); // the log is written in batches
  }
}

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * A fresh context (own storage) whose pages record console errors, page
 * errors and CSP violations into problems[]. auth signs it in by putting
 * the SDK's auth store into localStorage before any page script runs.
 */
export async function newContext(browser, base, { auth, viewport = { width: 1280, height: 800 }, locale = 'en-GB', timezoneId = 'Europe/Rome', allow = [], serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({ baseURL: base, viewport, locale, timezoneId, deviceScaleFactor: 1, serviceWorkers });
  const problems = [];
  if (auth) {
    await context.addInitScript((value) => {
      try {
        if (location.protocol.startsWith('http') && !localStorage.getItem('pocketbase_auth')) localStorage.setItem('pocketbase_auth', value);
      } catch { /* about:blank has no storage */ }
    }, JSON.stringify({ token: auth.token, record: auth.record }));
  }
  context.on('page', (page) => watch(page, problems, allow));
  return { context, problems };
}

function watch(page, problems, allow) {
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(text)) {
      if (allow.some((re) => re.test(text))) return;
      problems.push(`console ${msg.type()}: ${text}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // a rate-limited request names its path, so the limit it hit can be found
  page.on('response', (res) => { if (res.status() === 429) problems.push(`429 on ${res.request().method()} ${new URL(res.url()).pathname}`); });
}

let axeSource = null;
/**
 * Runs axe-core (every rule axe runs by default, any impact, and WCAG 2.2's
 * target size, which axe leaves off by default) on the page as it is now
 * and returns its violations as lines "rule (impact): target — why".
 * The script is evaluated through the DevTools protocol, which the page's
 * Content-Security-Policy does not govern.
 */
export async function axeViolations(page, { include } = {}) {
  if (!axeSource) axeSource = readFileSync(join(ROOT, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.evaluate(axeSource);
  const found = await page.evaluate(async (sel) => {
    const res = await window.axe.run(sel ? { include: [sel] } : document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
    return res.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}`));
  }, include || null);
  return found;
}

// The browser suite's shared state and helpers: one server (the demo school
// on a temp data dir) with its Twilio and Telegram stand-ins and one
// headless Chromium for every test file that run.mjs imports; a fresh
// browser context per person, whose console errors, page errors and CSP
// violations fail the test (clean).
import { before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startStandIns, launch, newContext, api, superuserToken } from './lib.mjs';

/** The running server ({url, ...}), browser and stand-ins, set before the first test. */
export const S = { server: null, browser: null, standIns: null };
const contexts = [];

before(async () => {
  S.standIns = await startStandIns();
  S.server = await startServer({ env: S.standIns.env });
  await roomForManyPeople(S.server.url);
  S.browser = await launch();
});

/**
 * Every browser context of the suite (dozens of people, each page live)
 * comes from 127.0.0.1, and PocketBase counts its catch-all "/api/" rate
 * limit per IP: when one booking change made every open page reload at
 * once, the suite hit it (a 429 in whichever test ran then; main too). The
 * test server gives that rule ten times the room, and the password sign-in
 * too (20 a minute per IP: the suite signs in some 30 people within a
 * minute, each from 127.0.0.1); every other rule (sign-up, codes, creates,
 * the custom routes) stays as shipped. The Go tests check the limits.
 */
async function roomForManyPeople(base) {
  const token = await superuserToken(base);
  const settings = await api(base, '/api/settings', { token });
  const roomy = new Set(['/api/', '*:authWithPassword']);
  const rules = settings.rateLimits.rules.map((r) => (roomy.has(r.label) ? { ...r, maxRequests: r.maxRequests * 10 } : r));
  assert.ok(rules.some((r, i) => r.maxRequests !== settings.rateLimits.rules[i].maxRequests), 'the catch-all rule is there');
  await api(base, '/api/settings', { method: 'PATCH', token, body: { rateLimits: { ...settings.rateLimits, rules } } });
}

after(async () => {
  for (const c of contexts) await c.context.close().catch(() => {});
  if (S.browser) await S.browser.close();
  if (S.server) await S.server.stop();
  if (S.standIns) await S.standIns.stop();
});

// Each test starts with no page of an earlier test open (but those it was
// handed with keep): an open page keeps its live subscriptions, and every
// later change would make it ask the server again, adding to the requests
// one person has in flight (the server answers the fifth with a 429) and
// to the load of one IP.
beforeEach(async () => {
  for (const c of contexts.splice(0)) {
    if (c.kept) { c.kept = false; contexts.push(c); } else await c.context.close().catch(() => {});
  }
});

/** Keeps context c open for the next test, which carries on with it. */
export function keep(c) { c.kept = true; return c; }

/** A fresh browser context (newContext's options) with one page. */
export async function open(opts = {}) {
  const c = await newContext(S.browser, S.server.url, opts);
  const v = { ...c, page: null };
  contexts.push(v);
  v.page = await c.context.newPage();
  v.page.setDefaultTimeout(15000);
  return v;
}

/** Fails on any problem a context recorded. */
export function clean(...cs) {
  for (const c of cs) assert.deepEqual(c.problems, [], `browser problems:\n${c.problems.join('\n')}`);
}

/** Forgets the expected failed requests (a refusal the test provoked) of a context. */
export function expectRefused(c, re = /status of (400|409)/) {
  c.problems.splice(0, c.problems.length, ...c.problems.filter((p) => !re.test(p)));
}

/** The tutors record id of a listed tutor, by name. */
export async function tutorId(name) {
  const res = await api(S.server.url, '/api/search/tutors?perPage=100');
  const found = res.items.find((x) => x.name === name);
  assert.ok(found, `${name} is listed`);
  return found.id;
}

/**
 * Shows the week after the one a tutor page opened on (the first week with
 * free time) and returns that week's slot buttons.
 */
export async function nextWeekSlots(page) {
  const label = page.locator('.week-label').first();
  await page.locator('.week').first().waitFor();
  const before = await label.textContent();
  await page.getByRole('button', { name: /Next week|Settimana successiva/ }).first().click();
  await page.waitForFunction((b) => document.querySelector('.week-label').textContent !== b && document.querySelector('.week'), before);
  return page.locator('.week button.slot');
}

/**
 * The last of a week's slot buttons that the student (token) is free at
 * too: a tutor's free slot can still clash with the student's own lessons
 * (the demo gives them some), which depends on the day the suite runs.
 */
export async function lastFreeFor(page, slots, base, token) {
  const minutes = Number(await page.getByLabel(/Lesson length|Durata della lezione/).inputValue());
  const filter = encodeURIComponent('status = "pending" || status = "confirmed"');
  const mine = await api(base, `/api/collections/bookings/records?perPage=500&filter=${filter}`, { token });
  const busy = mine.items.map((b) => [Date.parse(b.start.replace(' ', 'T')), Date.parse(b.end.replace(' ', 'T'))]);
  for (let i = (await slots.count()) - 1; i >= 0; i--) {
    const start = Date.parse(await slots.nth(i).getAttribute('data-start'));
    const end = start + minutes * 60000;
    if (!busy.some(([a, b]) => start < b && end > a)) return slots.nth(i);
  }
  throw new Error('no slot of this week is free for the student too');
}

/** Fills and sends the sign-up form. */
export async function signUp(page, { name, email, role = 'student' }, { go = true } = {}) {
  if (go) await page.goto('/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('a walk along the river at dawn');
  await page.getByLabel('Repeat the password').fill('a walk along the river at dawn');
  if (role === 'tutor') await page.getByLabel(/teach \(tutor/).check();
  await page.getByRole('button', { name: 'Create my account' }).click();
}

/** Unique enough for names and emails of this run. */
export const stamp = Date.now().toString(36);

/** Wall-clock parts of instant d in zone. */
function wall(d, zone) {
  const p = {};
  for (const x of new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d)) p[x.type] = Number(x.value);
  return p;
}

/** The instant `days` local days after iso at the same wall-clock time in zone (as a weekly series steps). */
export function sameWallTime(iso, zone, days) {
  const p = wall(new Date(iso), zone);
  const want = Date.UTC(p.year, p.month - 1, p.day + days, p.hour, p.minute);
  let guess = want;
  for (let i = 0; i < 3; i++) {
    const q = wall(new Date(guess), zone);
    guess += want - Date.UTC(q.year, q.month - 1, q.day, q.hour, q.minute);
  }
  return new Date(guess).toISOString().replace('.000Z', 'Z');
}

/** A verified student (or role's) account made by the superuser: {id, email, token, record}. */
export async function newStudent(name, { timezone = 'Europe/Rome', locale = 'en', role = 'student' } = {}) {
  const su = await superuserToken(S.server.url);
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${stamp}@example.com`;
  await api(S.server.url, '/api/collections/users/records', { method: 'POST', token: su, body: {
    name, email, password: 'a walk along the river at dawn', passwordConfirm: 'a walk along the river at dawn',
    role, timezone, locale, verified: true,
  } });
  return api(S.server.url, '/api/collections/users/auth-with-password', { method: 'POST', body: { identity: email, password: 'a walk along the river at dawn' } });
}

/** Sets school fields for the duration of work, then puts them back. */
export async function withSchool(fields, work) {
  const su = await superuserToken(S.server.url);
  const path = '/api/collections/school/records/tutorbaseschool';
  const before = await api(S.server.url, path, { token: su });
  await api(S.server.url, path, { method: 'PATCH', token: su, body: fields });
  try { return await work(); } finally {
    await api(S.server.url, path, { method: 'PATCH', token: su, body: Object.fromEntries(Object.keys(fields).map((k) => [k, before[k]])) });
  }
}

/** Whether the focused element is inside an open dialog. */
export function inDialog(page) {
  return page.evaluate(() => !!document.activeElement && !!document.activeElement.closest('dialog[open]'));
}

// Saves screenshots of the main pages, desktop (1280×800) and phone
// (360×740), into docs/screenshots/, against a fresh demo school.
// Run: make screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launch, newContext, authFor, api, superuserToken, demo } from './lib.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } };

async function nextWeekSlot(base, tutor, token) {
  const from = new Date(Date.now() + 7 * 86400000);
  const to = new Date(from.getTime() + 7 * 86400000);
  const res = await api(base, `/api/tutors/${tutor}/slots?from=${from.toISOString()}&to=${to.toISOString()}&minutes=60`, { token });
  return res.slots;
}

/** A drawn portrait (a head and shoulders on a coloured ground) as PNG bytes, made by the browser. */
async function portrait(browser, hue) {
  const page = await browser.newPage();
  try {
    const b64 = await page.evaluate((h) => {
      const c = document.createElement('canvas');
      c.width = 480; c.height = 480;
      const g = c.getContext('2d');
      const bg = g.createLinearGradient(0, 0, 480, 480);
      bg.addColorStop(0, `hsl(${h} 70% 80%)`); bg.addColorStop(1, `hsl(${h + 40} 60% 55%)`);
      g.fillStyle = bg; g.fillRect(0, 0, 480, 480);
      g.fillStyle = `hsl(${h + 180} 35% 30%)`;
      g.beginPath(); g.ellipse(240, 470, 170, 150, 0, Math.PI, 0); g.fill();
      g.fillStyle = `hsl(${(h + 20) % 360} 40% 75%)`;
      g.beginPath(); g.arc(240, 200, 95, 0, 2 * Math.PI); g.fill();
      return c.toDataURL('image/png').split(',')[1];
    }, hue);
    return Buffer.from(b64, 'base64');
  } finally { await page.close(); }
}

/** Gives the demo tutors a photo each (through the records API, as the profile page does). */
async function photos(base, browser) {
  const tutors = await api(base, '/api/search/tutors?perPage=50');
  const hues = { giulia: 200, marco: 20, emily: 280, arjun: 120 };
  for (const [who, hue] of Object.entries(hues)) {
    const auth = await authFor(base, demo(who));
    const me = tutors.items.find((x) => x.name === auth.record.name);
    if (!me) continue;
    const form = new FormData();
    form.append('avatar', new Blob([await portrait(browser, hue)], { type: 'image/png' }), 'photo.png');
    const res = await fetch(`${base}/api/collections/tutors/records/${me.id}`, { method: 'PATCH', headers: { Authorization: auth.token }, body: form });
    if (!res.ok) throw new Error(`photo of ${who}: ${res.status} ${await res.text()}`);
  }
}

/** Some activity for the pages to show: a booking, a cancellation, a paid package, a tutor waiting. */
async function prepare(base) {
  const luca = await authFor(base, demo('luca'));
  const admin = await authFor(base, demo('admin'));
  const tutors = await api(base, '/api/search/tutors');
  const giulia = tutors.items.find((x) => x.name === 'Giulia Rossi');
  const slots = await nextWeekSlot(base, giulia.id, luca.token);
  // Luca already owes the demo's lessons next week (the school's cap of
  // unpaid lessons): he books these two with the package he buys
  const pkgs = await api(base, `/api/search/packages?tutor=${giulia.id}`);
  const co = await api(base, '/api/purchases/checkout', { method: 'POST', token: luca.token, body: { package: pkgs.items[0].id } });
  await api(base, `/api/purchases/${co.purchase.id}/mark-paid`, { method: 'POST', token: admin.token, body: { method: 'transfer', reference: 'CRO 0042' } });
  const purchase = co.purchase.id;
  // the first free slot from index `from` that fits Luca's own lessons too
  const book = async (from) => {
    for (const slot of slots.slice(from)) {
      try {
        return await api(base, '/api/collections/bookings/records', { method: 'POST', token: luca.token, body: { tutor: giulia.id, start: slot.start, end: slot.end, purchase } });
      } catch (e) { if (!/: 409 /.test(e.message)) throw e; }
    }
    throw new Error('no slot of Giulia fits Luca next week');
  };
  await book(0);
  const b = await book(4);
  await api(base, `/api/bookings/${b.id}/cancel`, { method: 'POST', token: luca.token, body: { reason: 'Exam moved' } });
  await api(base, '/api/collections/users/records', { method: 'POST', body: {
    name: 'Paola Neri', email: 'paola.neri@example.com', password: 'a walk along the river at dawn', passwordConfirm: 'a walk along the river at dawn', role: 'tutor', timezone: 'Europe/Rome',
  } });
  const su = await superuserToken(base);
  const t = await api(base, `/api/collections/tutors/records?filter=${encodeURIComponent('name="Paola Neri"')}`, { token: su });
  await api(base, `/api/collections/tutors/records/${t.items[0].id}`, { method: 'PATCH', token: su, body: { headline: 'Chemistry and biology for high school' } });
  // Giulia is away on Thursday afternoon next week (her calendar shows it)
  const gAuth = await authFor(base, demo('giulia'));
  const monday = new Date(); monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
  const thursday = new Date(monday.getTime() + 3 * 86400000);
  await api(base, '/api/collections/time_off/records', { method: 'POST', token: gAuth.token, body: {
    tutor: giulia.id, start: new Date(thursday.getTime() + 11 * 3600000).toISOString(), end: new Date(thursday.getTime() + 16 * 3600000).toISOString(), reason: 'Conference',
  } });
  await materials(base, luca.record.id);
  return { giulia: giulia.id };
}

/** Giulia's lesson materials: a worksheet in two versions and a link shared with Luca, notes kept to herself. */
async function materials(base, luca) {
  const g = await authFor(base, demo('giulia'));
  const create = async (fields, file) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ owner: g.record.id, ...fields })) form.append(k, v);
    if (file) form.append('file', new Blob([file[1]]), file[0]);
    const res = await fetch(`${base}/api/collections/materials/records`, { method: 'POST', headers: { Authorization: g.token }, body: form });
    if (!res.ok) throw new Error(`material ${fields.title}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const sheet = await create({ title: 'Fractions worksheet', folder: 'Algebra', shared_with: luca }, ['fractions.pdf', '%PDF-1.4 fractions']);
  await create({ title: 'Fractions worksheet', previous: sheet.id }, ['fractions-2.pdf', '%PDF-1.4 fractions, corrected']);
  await create({ title: 'Equations: notes for the lesson', folder: 'Algebra' }, ['equations.txt', 'Notes']);
  await create({ title: 'Linear equations (video)', folder: 'Videos', url: 'https://video.example.com/linear-equations', shared_with: luca });
}

const server = await startServer();
const browser = await launch();
const problems = [];
try {
  mkdirSync(OUT, { recursive: true });
  const ids = await prepare(server.url);
  await photos(server.url, browser);
  const shots = [
    ['directory', null, '/'],
    ['tutor-profile', null, `/tutors/${ids.giulia}`],
    ['booking-dialog', 'luca', `/tutors/${ids.giulia}`, async (page) => {
      await page.locator('.week').waitFor();
      await page.getByRole('button', { name: /Next week/ }).click();
      await page.locator('.week button.slot').first().click();
      await page.getByRole('dialog').getByRole('button', { name: 'Confirm booking' }).waitFor();
    }, { fullPage: false }],
    ['my-lessons', 'luca', '/lessons', (page) => page.locator('#upcoming').waitFor()],
    ['tutor-availability', 'giulia', '/tutor/availability', (page) => page.locator('.week').waitFor()],
    ['tutor-requests', 'giulia', '/tutor/requests', (page) => page.locator('#recent').waitFor()],
    ['admin-verification', 'admin', '/admin/tutors', (page) => page.locator('#queue').waitFor()],
    ['admin-bookings', 'admin', '/admin/bookings?view=upcoming', (page) => page.locator('tbody tr[data-id]').first().waitFor()],
    ['admin-deliveries', 'admin', '/admin/deliveries', (page) => page.locator('tbody tr[data-id]').first().waitFor()],
    ['tutor-calendar', 'giulia', '/tutor/calendar', async (page) => {
      await page.locator('#calendar').waitFor();
      await page.getByRole('button', { name: /Next week/ }).click();
      await page.locator('.away').first().waitFor();
    }],
    ['admin-reports', 'admin', '/admin/reports', (page) => page.locator('figure.chart').first().waitFor()],
    ['admin-sequences', 'admin', '/admin/sequences', (page) => page.locator('tr[data-trigger]').first().waitFor()],
    ['tutor-materials', 'giulia', '/materials', (page) => page.locator('li.material').first().waitFor()],
    ['student-materials', 'luca', '/materials', (page) => page.locator('li.material').first().waitFor()],
    ['notifications', 'giulia', '/notifications', (page) => page.locator('#inbox').waitFor()],
    ['student-notifications', 'luca', '/notifications', (page) => page.locator('#inbox').waitFor()],
    ['reschedule-dialog', 'luca', '/lessons', async (page) => {
      await page.locator('#upcoming li.lesson').first().getByRole('button', { name: 'Reschedule' }).click();
      await page.getByRole('dialog').locator('.week button.slot').first().waitFor();
    }, { fullPage: false }],
  ];
  const auths = {};
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const [name, who, path, ready, opts = {}] of shots) {
      if (who && !auths[who]) auths[who] = await authFor(server.url, demo(who));
      const c = await newContext(browser, server.url, { auth: who ? auths[who] : null, viewport });
      const page = await c.context.newPage();
      await page.goto(path);
      await page.locator('h1').first().waitFor();
      if (ready) await ready(page);
      await page.waitForFunction(() => !document.querySelector('main .loading'));
      await page.evaluate(() => document.activeElement && document.activeElement.blur && !document.activeElement.closest('dialog') && document.activeElement.blur());
      const file = join(OUT, `${name}-${size}.png`);
      await page.screenshot({ path: file, fullPage: opts.fullPage !== false });
      console.log(`saved ${file}`);
      problems.push(...c.problems.map((p) => `${name} (${size}): ${p}`));
      await c.context.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }

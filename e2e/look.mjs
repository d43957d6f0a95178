// The look of the app (issue 15, items 6-9): tutor photos, a header on one
// row and a directory that fits a phone, no axe-core violations on any
// page, and static files that travel compressed and once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname, normalize } from 'node:path';
import { authFor, demo, axeViolations, ROOT } from './lib.mjs';
import { S, open, clean, expectRefused, tutorId, inDialog, newStudent } from './suite.mjs';

const PHONE = { width: 360, height: 740 };

/** Waits until an <img> has loaded and returns its natural width. */
async function loadedWidth(img) {
  await img.waitFor();
  return img.evaluate((el) => (el.complete && el.naturalWidth ? el.naturalWidth : new Promise((r) => { el.onload = () => r(el.naturalWidth); })));
}

test('a tutor uploads and frames a photo; it is shown in the directory, on the profile, next to lessons and in the header', async () => {
  const giulia = await tutorId('Giulia Rossi');
  const tu = await open({ auth: await authFor(S.server.url, demo('giulia')) });
  await tu.page.goto('/tutor/profile');
  const editor = tu.page.locator('.avatar-editor');
  // a 600×400 picture (not square), drawn by the browser
  const png = Buffer.from(await tu.page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 600; c.height = 400;
    const g = c.getContext('2d');
    g.fillStyle = '#1d4ed8'; g.fillRect(0, 0, 600, 400);
    g.fillStyle = '#fbbf24'; g.beginPath(); g.arc(300, 200, 150, 0, 7); g.fill();
    return c.toDataURL('image/png').split(',')[1];
  }), 'base64');
  await editor.getByLabel('Choose a photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
  await editor.getByRole('img', { name: 'Preview of your photo' }).waitFor();
  await editor.getByLabel('Zoom').focus();
  for (let i = 0; i < 6; i++) await tu.page.keyboard.press('ArrowRight'); // framed closer
  await editor.getByRole('button', { name: 'Save photo' }).click();
  await tu.page.getByText('Photo saved.').waitFor();

  // the square the browser framed is what the server keeps; its sizes are made from it
  const rec = await (await fetch(`${S.server.url}/api/collections/tutors/records/${giulia}`)).json();
  const original = tu.page.locator('img.avatar-large').first();
  assert.equal(await loadedWidth(original), 320);
  const orig = await tu.page.evaluate(async (u) => { const i = new Image(); i.src = u; await i.decode(); return [i.naturalWidth, i.naturalHeight]; }, `/api/files/tutors/${giulia}/${rec.avatar}`);
  assert.deepEqual(orig, [640, 640], 'cropped to a square in the browser');
  const header = tu.page.locator('.site-nav .account-link img.avatar');
  assert.equal(await loadedWidth(header), 96, 'the header shows the small size');
  assert.match(await header.getAttribute('src'), /\?thumb=96x96$/);

  const v = await open();
  await v.page.goto('/');
  assert.equal(await loadedWidth(v.page.locator('.tutor-card').filter({ hasText: 'Giulia Rossi' }).locator('img.avatar')), 96, 'in the directory');
  await v.page.goto(`/tutors/${giulia}`);
  assert.equal(await loadedWidth(v.page.locator('.profile-head img.avatar-large')), 320, 'on the profile');
  const luca = await open({ auth: await authFor(S.server.url, demo('luca')) });
  await luca.page.goto('/lessons');
  assert.equal(await loadedWidth(luca.page.locator('li.lesson').filter({ hasText: 'Giulia Rossi' }).first().locator('img.avatar')), 96, 'next to lessons');
  clean(tu, v, luca);
});

/** Whether the header's visible parts share one row, the school's name still readable. */
function oneRow(page) {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.bar > *, #site-nav > *')].filter((e) => e.offsetParent && e.getBoundingClientRect().width > 1).map((e) => e.getBoundingClientRect());
    const bottom = Math.min(...boxes.map((r) => r.bottom));
    return boxes.every((r) => r.top < bottom) && document.querySelector('.site-header').getBoundingClientRect().height < 72
      && document.querySelector('.brand-name').getBoundingClientRect().width >= 60; // the school's name is not squeezed away
  });
}

/** Whether el's content is wider than el (it would scroll sideways). */
const overflows = (loc) => loc.evaluate((el) => el.scrollWidth > el.clientWidth + 1);

test('the header fits one row at 1280 px for every role; on a phone the directory shows tutors first and the tables and dialogs fit', async () => {
  const guardian = await newStudent('Greta Header', { role: 'guardian' });
  for (const who of [null, 'luca', 'giulia', 'admin', 'guardian']) {
    const auth = who === 'guardian' ? guardian : who && await authFor(S.server.url, demo(who));
    const c = await open({ auth });
    await c.page.goto(who ? '/notifications' : '/');
    await c.page.locator('#site-nav a').first().waitFor();
    assert.ok(await oneRow(c.page), `${who || 'visitor'}: the header is one row at 1280 px`);
    clean(c);
  }

  const v = await open({ viewport: PHONE });
  await v.page.goto('/');
  const card = v.page.locator('.tutor-card').first();
  await card.waitFor();
  const box = await card.locator('h3').boundingBox();
  assert.ok(box.y + box.height <= PHONE.height, `the first tutor is on the first screen (at ${Math.round(box.y)} px)`);
  const toggle = v.page.getByRole('button', { name: 'Filters' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await v.page.getByLabel('Subject', { exact: true }).isVisible(), false, 'filters folded');
  await toggle.click();
  const subject = v.page.getByLabel('Subject', { exact: true });
  await subject.focus();
  await subject.selectOption({ label: 'Physics' });
  await v.page.waitForFunction(() => location.search === '?subject=physics');
  await v.page.locator('.tutor-card').filter({ hasText: 'Emily Carter' }).waitFor({ state: 'detached' }); // applied as it changed
  await v.page.locator('.tutor-card').filter({ hasText: 'Giulia Rossi' }).waitFor();
  assert.equal(await subject.evaluate((el) => el === document.activeElement), true, 'focus stays on the filter');

  const tu = await open({ auth: await authFor(S.server.url, demo('giulia')), viewport: PHONE });
  await tu.page.goto('/tutor/availability');
  await tu.page.locator('tr[data-id]').first().waitFor();
  await tu.page.locator('.week').waitFor();
  assert.equal(await overflows(tu.page.locator('html')), false, 'the availability page fits a phone');
  assert.equal(await overflows(tu.page.locator('.table-wrap').first()), false, 'its table too');

  for (const viewport of [PHONE, { width: 1280, height: 800 }]) {
    const s = await open({ auth: await authFor(S.server.url, demo('luca')), viewport });
    await s.page.goto('/lessons');
    await s.page.locator('#upcoming li.lesson').first().getByRole('button', { name: 'Reschedule' }).click();
    const dialog = s.page.getByRole('dialog', { name: 'Move this lesson' });
    await dialog.locator('.week button.slot').first().waitFor();
    assert.equal(await overflows(dialog.locator('.dialog-body')), false, `the reschedule dialog fits at ${viewport.width} px`);
    const inside = await dialog.evaluate((d) => {
      const r = d.getBoundingClientRect();
      return [...d.querySelectorAll('.week button.slot, .week-nav > *')].every((b) => { const x = b.getBoundingClientRect(); return x.left >= r.left && x.right <= r.right; });
    });
    assert.ok(inside, 'every slot and control inside the dialog');
    clean(s);
  }
  clean(v, tu);
});

/** Pages per person, to check with axe. */
async function pagesOf(who) {
  const giulia = await tutorId('Giulia Rossi');
  const common = ['/', `/tutors/${giulia}`];
  switch (who) {
    case null: return [...common, '/signin', '/signup', '/forgot-password', '/reset-password?token=x', '/verify-email?token=x', '/confirm-email-change?token=x', '/not-me?token=x', '/checkout/success', '/checkout/cancel', '/no-such-page'];
    case 'luca': return [...common, '/lessons', '/calendar', '/todo', '/progress', '/credits', '/materials', '/payments', '/reviews', '/notifications', '/settings', '/plans', '/subscription'];
    case 'giulia': return ['/tutor/requests', '/calendar', '/tutor/calendar', '/tutor/availability', '/tutor/packages', '/tutor/earnings', '/tutor/profile', '/materials', '/lessons', '/payments', '/notifications', '/settings'];
    default: return ['/admin/tutors', '/admin/bookings', '/calendar', '/admin/payments', '/admin/reports', '/admin/deliveries', '/admin/flags', '/materials', '/', '/lessons', '/notifications', '/settings', '/admin/coupons', '/admin/at-risk', '/admin/sequences', '/admin/plans'];
  }
}

async function settled(page) {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('main .loading, dialog .loading'));
}

test('no axe-core violations on any page of any role, dialogs included; a skip link to the results; focus moves into dialogs and back', async () => {
  const found = [];
  const check = async (page, where) => { for (const v of await axeViolations(page)) found.push(`${where}: ${v}`); };
  for (const who of [null, 'luca', 'giulia', 'admin']) {
    const c = await open({ auth: who ? await authFor(S.server.url, demo(who)) : null });
    for (const path of await pagesOf(who)) {
      await c.page.goto(path);
      await settled(c.page);
      await check(c.page, `${who || 'visitor'} ${path}`);
    }
    if (who === 'luca') {
      const item = c.page.locator('#upcoming li.lesson').first();
      await c.page.goto('/lessons');
      await item.waitFor();
      await item.getByRole('link', { name: 'Details' }).click();
      await settled(c.page);
      await check(c.page, 'luca /lessons/{id}');
      for (const [button, name] of [['Reschedule', 'Move this lesson'], ['Cancel', 'Cancel this lesson?']]) {
        await c.page.getByRole('button', { name: button, exact: true }).first().click();
        await c.page.getByRole('dialog', { name }).waitFor();
        await settled(c.page);
        await check(c.page, `luca ${name} dialog`);
        await c.page.keyboard.press('Escape');
      }
    }
    if (who === null) expectRefused(c); // the landing pages' made-up tokens
    // keyboard: a slot's booking dialog takes the focus and gives it back
    await c.page.goto(`/tutors/${await tutorId('Giulia Rossi')}`);
    const slot = c.page.locator('.week button.slot').first();
    await slot.focus();
    const start = await slot.getAttribute('data-start');
    await c.page.keyboard.press('Enter');
    await c.page.getByRole('dialog', { name: 'Book a lesson' }).waitFor();
    await settled(c.page);
    if (who === null || who === 'luca') await check(c.page, `${who || 'visitor'} booking dialog`);
    assert.ok(await inDialog(c.page), 'focus moves into the dialog');
    await c.page.keyboard.press('Escape');
    await c.page.waitForFunction((st) => document.activeElement && document.activeElement.dataset.start === st, start);
    clean(c);
  }
  for (const [who, path] of [[null, '/'], ['luca', '/lessons'], ['giulia', '/tutor/availability'], ['giulia', '/materials']]) {
    const c = await open({ auth: who ? await authFor(S.server.url, demo(who)) : null, viewport: PHONE });
    await c.page.goto(path);
    await settled(c.page);
    await check(c.page, `${who || 'visitor'} ${path} (phone)`);
    if (path === '/materials') assert.equal(await c.page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'the materials page fits a phone');
    clean(c);
  }
  assert.deepEqual(found, [], `axe-core violations:\n${found.join('\n')}`);

  // the directory's skip link goes to the results
  const v = await open();
  await v.page.goto('/');
  await v.page.locator('.tutor-card').first().waitFor();
  await v.page.keyboard.press('Tab');
  assert.equal(await v.page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await v.page.keyboard.press('Tab');
  assert.equal(await v.page.evaluate(() => document.activeElement.textContent), 'Skip to results');
  await v.page.keyboard.press('Enter');
  assert.equal(await v.page.evaluate(() => document.activeElement.id), 'results');
  clean(v);
});

/** The modules a module imports, with their own, by reading the files. */
function importGraph(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const src = readFileSync(join(ROOT, 'pb_public', entry), 'utf8');
  for (const m of src.matchAll(/^import\s[^'"]*['"](\.[^'"]+)['"]/gm)) importGraph(normalize(join(dirname(entry), m[1])), seen);
  return seen;
}

test('static files travel gzipped and once; modules load side by side', async () => {
  const res = await fetch(`${S.server.url}/vendor/pocketbase.es.mjs`, { headers: { 'Accept-Encoding': 'gzip' } });
  const size = Number(res.headers.get('content-length'));
  assert.equal(res.headers.get('content-encoding'), 'gzip');
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  assert.ok(size > 0 && size < 20000, `the SDK is ${size} bytes gzipped`);
  const again = await fetch(`${S.server.url}/vendor/pocketbase.es.mjs`, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': res.headers.get('etag') } });
  assert.equal(again.status, 304);

  // a reload downloads nothing unchanged: the status that came over the
  // wire (the page reports a revalidated document or image as its cached 200).
  // Without the service worker, whose own fetches (the same revalidations,
  // through the same HTTP cache) the page's DevTools session does not see.
  const v = await open({ serviceWorkers: 'block' });
  const asked = [];
  v.page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/search/') || u.pathname.startsWith('/api/collections/subjects/')) asked.push(u.pathname); });
  await v.page.goto('/');
  await v.page.locator('.tutor-card').first().waitFor();
  await v.page.waitForLoadState('networkidle');
  // js/early.js asked for the tutors and subjects before the app loaded; the app used its answers
  assert.deepEqual(asked.sort(), ['/api/collections/subjects/records', '/api/search/tutors'], 'each asked for once');
  assert.deepEqual(await v.page.evaluate(() => globalThis.tutorbaseEarly && Object.keys(globalThis.tutorbaseEarly)), [], 'both early answers taken');
  const cdp = await v.context.newCDPSession(v.page);
  await cdp.send('Network.enable');
  const paths = new Map();
  const wire = new Map();
  cdp.on('Network.responseReceived', (e) => {
    const u = new URL(e.response.url);
    if (u.origin === S.server.url && !u.pathname.startsWith('/api/')) paths.set(e.requestId, u.pathname);
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => wire.set(e.requestId, e.statusCode));
  await v.page.reload();
  await v.page.locator('.tutor-card').first().waitFor();
  await v.page.waitForLoadState('networkidle');
  const statics = [...paths].map(([id, path]) => `${wire.get(id)} ${path}`);
  assert.ok(statics.length >= 10, statics.join(', '));
  assert.deepEqual(statics.filter((x) => !x.startsWith('304 ')), [], `every file answered 304 Not Modified: ${statics.join(', ')}`);

  // every module the directory needs is asked for at once by index.html
  const html = readFileSync(join(ROOT, 'pb_public', 'index.html'), 'utf8');
  const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="\/([^"]+)">/g)].map((m) => m[1]));
  const needed = [...importGraph('js/pages/directory.js', importGraph('app.js'))].filter((m) => m !== 'app.js');
  assert.deepEqual(needed.filter((m) => !preloaded.has(m)), [], 'modules not preloaded (each would wait for its importer)');
  clean(v);
});

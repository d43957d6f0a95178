// End-to-end tests of the web app: a real server on a temp data dir (the
// demo school), headless Chromium, one fresh browser context per person.
// Every page must finish without console errors, page errors or CSP
// violations. Run: make e2e (or node e2e/run.mjs after make build).
// suite.mjs holds the server and helpers; the other files hold the tests of
// the booking journey (journey.mjs), of the look of the app (look.mjs) and
// of the busy times from tutors' own calendars (busy.mjs) and lesson
// materials (materials.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authFor, api, demo, emailedLink, superuserToken, DEMO_PASSWORD } from './lib.mjs';
import { S, open, clean, keep, tutorId, nextWeekSlots, lastFreeFor, signUp, stamp, newStudent } from './suite.mjs';
import './journey.mjs';
import './look.mjs';
import './busy.mjs';
import './first-run.mjs';
import './staff.mjs';
import './materials.mjs';
import './app.mjs';
import './security.mjs';
import './einvoices.mjs';
import './privacy.mjs';
import './money.mjs';
import './families.mjs';
import './google.mjs';
import './insight.mjs';
import './subscriptions.mjs';
import './analytics.mjs';
import './messages.mjs';
import './sequences.mjs';

const student = { name: `Stella E2E ${stamp}`, email: `stella.${stamp}@example.com` };

test('a student signs up, finds a tutor, books a slot, and the tutor and an admin see it live', async () => {
  const tutor = await open({ auth: await authFor(S.server.url, demo('giulia')) });
  await tutor.page.goto('/tutor/requests');
  await tutor.page.getByRole('heading', { name: 'Latest bookings' }).waitFor();
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await admin.page.goto(`/admin/bookings?view=upcoming&student=${encodeURIComponent(student.name)}`);
  await admin.page.getByRole('heading', { name: 'All bookings' }).waitFor();
  await admin.page.getByText('No bookings match.').waitFor();

  const s = await open();
  await signUp(s.page, student);
  await s.page.waitForURL('**/lessons');
  await s.page.getByRole('heading', { name: 'My lessons' }).waitFor();

  await s.page.getByRole('link', { name: 'Find a tutor' }).click();
  await s.page.getByLabel('Subject', { exact: true }).selectOption({ label: 'Physics' }); // applied at once
  await s.page.waitForFunction(() => location.search.includes('subject=physics'));
  await s.page.getByRole('link', { name: 'Giulia Rossi' }).click();
  await s.page.getByRole('heading', { name: 'Giulia Rossi', level: 1 }).waitFor();
  assert.match(await s.page.locator('.zone-note').first().textContent(), /Europe\/Rome/);

  let slots = await nextWeekSlots(s.page);
  const start = await slots.last().getAttribute('data-start');
  await slots.last().click();
  const dialog = s.page.getByRole('dialog', { name: 'Book a lesson' });
  await dialog.getByText('(Europe/Rome)').first().waitFor();
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  // a new account books once its email is confirmed: the dialog says so
  await dialog.getByText('Confirm your email address first').waitFor();
  await dialog.getByRole('button', { name: 'Send the confirmation email again' }).waitFor();
  const tutorPage = s.page.url();
  await s.page.goto(await emailedLink(S.server.url, student.email, '/verify-email'));
  await s.page.getByText('Thank you: your email address is confirmed.').waitFor();
  await s.page.goto(tutorPage);
  slots = await nextWeekSlots(s.page);
  await s.page.locator(`.week button.slot[data-start="${start}"]`).click();
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await dialog.getByRole('heading', { name: 'Lesson booked' }).waitFor();
  await dialog.locator('.pay-by').filter({ hasText: /^Pay by .+, or the lesson is cancelled and the time freed\.$/ }).waitFor();

  // the tutor's and the admin's open pages update without a reload
  await tutor.page.locator('#recent').getByText(student.name).waitFor();
  await admin.page.locator('tr').filter({ hasText: student.name }).waitFor();
  // the student is told too, of what they did themselves (issue 15, item 3)
  await s.page.locator('#unread-badge:not([hidden])').waitFor();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await s.page.getByRole('link', { name: /^Notifications/ }).click();
  await s.page.locator('#inbox').getByText('New lesson booked with Giulia Rossi').waitFor();
  student.start = start;
  s.problems.splice(0, s.problems.length, ...s.problems.filter((p) => !/status of 400/.test(p))); // the refused first try
  clean(tutor, admin, s);
  student.ctx = keep(s); // the next test cancels the lesson in this page
});

test('the student cancels and sees the policy and its outcome first', async () => {
  const s = student.ctx;
  assert.ok(s, 'the booking test ran');
  await s.page.getByRole('link', { name: 'My lessons' }).click();
  await s.page.getByRole('heading', { name: 'Upcoming' }).waitFor();
  const item = s.page.locator('#upcoming li.lesson').filter({ hasText: 'Giulia Rossi' });
  await item.locator('.pay-by').filter({ hasText: /^Pay by / }).waitFor(); // unpaid: its deadline is shown
  await item.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = s.page.getByRole('dialog', { name: 'Cancel this lesson?' });
  // next week's lesson, pay-per-lesson and not paid yet: outside the 24-hour window
  assert.equal((await dialog.locator('.policy-outcome').textContent()).trim(), 'Cancelling now is free.');
  await dialog.getByText('Free cancellation up to 24 hours before the lesson').waitFor();
  await dialog.getByRole('button', { name: 'Cancel the lesson' }).click();
  await dialog.getByText('Lesson cancelled.').waitFor();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await s.page.locator('#past li.lesson[data-status="cancelled"]').filter({ hasText: 'Giulia Rossi' }).waitFor();
  assert.equal(await s.page.locator('#upcoming li.lesson').filter({ hasText: 'Giulia Rossi' }).count(), 0);
  await s.page.getByRole('link', { name: /^Notifications/ }).click();
  await s.page.locator('#inbox').getByText('Lesson with Giulia Rossi cancelled').waitFor();
  clean(s);
});

test('a student with a package credit is told the credit comes back', async () => {
  const auth = await authFor(S.server.url, demo('luca'));
  const purchases = await api(S.server.url, `/api/collections/purchases/records?filter=${encodeURIComponent('status="paid"')}&expand=tutor`, { token: auth.token });
  const p = purchases.items.find((x) => x.credits_total - x.credits_used > 0);
  assert.ok(p, 'the demo gives Luca a paid package');
  const s = await open({ auth });
  await s.page.goto(`/tutors/${p.tutor}`);
  await s.page.getByLabel('Lesson length').selectOption(String(p.minutes));
  const slot = await lastFreeFor(s.page, await nextWeekSlots(s.page), S.server.url, auth.token);
  const start = new Date(await slot.getAttribute('data-start')).toISOString();
  await slot.click();
  const dialog = s.page.getByRole('dialog', { name: 'Book a lesson' });
  await dialog.getByLabel('Pay with').selectOption(p.id);
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await dialog.getByRole('heading', { name: 'Lesson booked' }).waitFor();
  await dialog.getByRole('link', { name: 'Go to my lessons' }).click();
  const item = s.page.locator(`#upcoming li.lesson[data-start="${start}"]`);
  await item.locator('.status-credit').waitFor();
  await item.getByRole('button', { name: 'Cancel', exact: true }).click();
  const cancel = s.page.getByRole('dialog', { name: 'Cancel this lesson?' });
  assert.equal((await cancel.locator('.policy-outcome').textContent()).trim(), 'Cancelling now is free: your credit comes back.');
  await cancel.getByRole('button', { name: 'Cancel the lesson' }).click();
  await cancel.getByText('Lesson cancelled.').waitFor();
  clean(s);
});

test('a student at the cap of unpaid lessons is told why, in their language', async () => {
  const su = await superuserToken(S.server.url);
  const auth = await authFor(S.server.url, demo('luca'), { locale: 'it' });
  const now = new Date().toISOString().replace('T', ' ');
  const mine = await api(S.server.url, `/api/collections/bookings/records?perPage=1&filter=${encodeURIComponent(`start > "${now}" && payment_status = "unpaid" && (status = "pending" || status = "confirmed")`)}`, { token: auth.token });
  assert.ok(mine.totalItems >= 2, 'the demo gives Luca unpaid lessons next week');
  await api(S.server.url, '/api/collections/school/records/tutorbaseschool', { method: 'PATCH', token: su, body: { max_unpaid_lessons: 2 } });
  try {
    const s = await open({ auth });
    await s.page.goto(`/tutors/${await tutorId('Marco Bianchi')}`);
    await (await lastFreeFor(s.page, await nextWeekSlots(s.page), S.server.url, auth.token)).click();
    const dialog = s.page.getByRole('dialog', { name: 'Prenota una lezione' });
    await dialog.getByLabel('Paga con').selectOption('');
    await dialog.getByRole('button', { name: 'Conferma la prenotazione' }).click();
    await dialog.getByText('Hai già 2 lezioni in programma non ancora pagate. Pagane una in Le mie lezioni, oppure prenota con un credito di un pacchetto.').first().waitFor();
    s.problems.splice(0, s.problems.length, ...s.problems.filter((p) => !/status of 400/.test(p))); // the refused booking
    clean(s);
  } finally {
    await api(S.server.url, '/api/collections/school/records/tutorbaseschool', { method: 'PATCH', token: su, body: { max_unpaid_lessons: 3 } });
    await api(S.server.url, `/api/collections/users/records/${auth.record.id}`, { method: 'PATCH', token: su, body: { locale: 'en' } });
  }
});

test("a tutor edits availability and the visitor's free slots change", async () => {
  const marco = await tutorId('Marco Bianchi');
  const v = await open();
  await v.page.goto(`/tutors/${marco}`);
  let slots = await nextWeekSlots(v.page);
  const sunday = v.page.locator('.week .day').nth(6);
  assert.equal(await sunday.locator('button.slot').count(), 0, 'Marco teaches no Sundays yet');

  const tu = await open({ auth: await authFor(S.server.url, demo('marco')) });
  await tu.page.goto('/tutor/availability');
  const form = tu.page.locator('form').filter({ has: tu.page.getByRole('button', { name: 'Add window' }) });
  await form.getByLabel('Day').selectOption({ label: 'Sunday' });
  await form.getByLabel('From', { exact: true }).selectOption('09:00');
  await form.getByLabel('Until', { exact: true }).selectOption('11:00');
  await form.getByRole('button', { name: 'Add window' }).click();
  const row = tu.page.locator('tr').filter({ hasText: 'Sunday' }).filter({ hasText: '09:00–11:00' });
  await row.waitFor();

  await v.page.reload();
  slots = await nextWeekSlots(v.page);
  await sunday.getByRole('button', { name: /09:00–10:00/ }).waitFor();
  assert.deepEqual(await sunday.locator('button.slot').allTextContents(), ['09:00', '09:30', '10:00']);

  // an overlapping window is refused, with the error next to its field
  await form.getByLabel('Day').selectOption({ label: 'Sunday' });
  await form.getByLabel('From', { exact: true }).selectOption('10:00');
  await form.getByLabel('Until', { exact: true }).selectOption('12:00');
  await form.getByRole('button', { name: 'Add window' }).click();
  await form.locator('[data-field="start"] .field-error').filter({ hasText: /overlaps/ }).waitFor();
  assert.equal(await form.getByLabel('From', { exact: true }).getAttribute('aria-invalid'), 'true');

  await row.getByRole('button', { name: /Delete/ }).click();
  await tu.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  await v.page.reload();
  await nextWeekSlots(v.page);
  assert.equal(await sunday.locator('button.slot').count(), 0);
  tu.problems.splice(0, tu.problems.length, ...tu.problems.filter((p) => !/status of 400/.test(p))); // the refused window
  clean(v, tu);
});

test('an admin verifies a new tutor, who then appears in the directory', async () => {
  const name = `Teo Tester ${stamp}`;
  const adminAuth = await authFor(S.server.url, demo('admin'));
  const tu = await open();
  await signUp(tu.page, { name, email: `teo.${stamp}@example.com`, role: 'tutor' });
  await tu.page.waitForURL('**/tutor/profile');
  await tu.page.getByLabel('Headline').fill('Chemistry for curious minds');
  await tu.page.getByRole('group', { name: 'Subjects' }).getByLabel('Physics').check();
  await tu.page.getByRole('button', { name: 'Save profile' }).click();
  await tu.page.getByText('Profile saved.').waitFor();

  const visitor = await open();
  await visitor.page.goto('/');
  await visitor.page.getByText(/tutors found/).waitFor();
  assert.equal(await visitor.page.getByRole('link', { name }).count(), 0, 'not listed before verification');

  const admin = await open({ auth: adminAuth });
  await admin.page.goto('/admin/tutors');
  const card = admin.page.locator('#queue li').filter({ hasText: name });
  // the checklist says what the profile lacks, and verifying it anyway asks first
  const checklist = card.getByRole('list', { name: 'Profile checklist' });
  await checklist.locator('li.ok').filter({ hasText: 'Subjects: Physics' }).waitFor();
  for (const missing of ['Email not confirmed', 'No hourly rate', 'No weekly hours', 'No bio']) await checklist.locator('li.missing').filter({ hasText: missing }).waitFor();
  await card.getByRole('button', { name: `Verify ${name}` }).click();
  const warn = admin.page.getByRole('dialog', { name: `Verify ${name} with an incomplete profile?` });
  await warn.getByRole('listitem').filter({ hasText: 'No weekly hours' }).waitFor();
  await warn.getByRole('button', { name: 'Back' }).click();
  assert.equal(await card.count(), 1, 'not verified: still waiting');
  await card.getByRole('button', { name: `Verify ${name}` }).click();
  await warn.getByRole('button', { name: 'Verify anyway' }).click();
  await card.waitFor({ state: 'detached' });

  await visitor.page.reload();
  await visitor.page.getByRole('link', { name }).waitFor();
  // the visitor switches the language
  await visitor.page.getByLabel('Language', { exact: true }).selectOption('it');
  await visitor.page.getByRole('heading', { name: 'Trova un tutor', level: 1 }).waitFor();
  clean(tu, visitor, admin);
});

test('signing in follows next only to a page of this site', async () => {
  const origin = new URL(S.server.url).origin;
  for (const [next, want] of [['/%5Cevil.example/x', '/lessons'], ['/%09/evil.example/x', '/lessons'], ['/credits?from=signin', '/credits?from=signin']]) {
    const c = await open();
    await c.page.goto(`/signin?next=${next}`);
    await c.page.getByLabel('Email').fill(demo('hannah'));
    await c.page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await c.page.waitForURL((u) => u.pathname + u.search === want);
    assert.equal(new URL(c.page.url()).origin, origin, `next=${next} stays on the site`);
    clean(c);
  }
});

test('the sign-up form rates the password as it is typed, and the server refuses what it calls weak', async () => {
  const c = await open();
  await c.page.goto('/signup');
  await c.page.getByLabel('Your name').fill('Giulia Tester');
  await c.page.getByLabel('Email').fill(`giulia.tester.${stamp}@example.com`);
  const pw = c.page.getByLabel('Password', { exact: true });
  const meter = c.page.locator('[data-field="password"] .strength');
  await pw.fill('GiuliaTester2024');
  await c.page.locator('[data-field="password"] .strength[data-weak="true"]').waitFor();
  assert.match(await meter.locator('.strength-label').textContent(), /^Strength: (Very easy|Easy) to guess$/);
  const why = (await meter.locator('.strength-why').textContent()).trim();
  assert.match(why, /^This password is too easy to guess: it contains your name or email/);
  await c.page.getByLabel('Repeat the password').fill('GiuliaTester2024');
  await c.page.getByRole('button', { name: 'Create my account' }).click();
  const error = c.page.locator('[data-field="password"] .field-error');
  await error.filter({ hasText: 'too easy to guess' }).waitFor();
  assert.equal((await error.textContent()).trim(), why, 'the server says what the meter said');

  await pw.fill('a walk along the river at dawn');
  await meter.locator('.strength-label').filter({ hasText: 'Strength: Strong' }).waitFor();
  assert.equal((await meter.locator('.strength-why').textContent()).trim(), '');
  c.problems.splice(0, c.problems.length, ...c.problems.filter((p) => !/status of 400/.test(p))); // the refused sign-up
  clean(c);
});

test('a person proves their mobile number and connects Telegram on the account page', async () => {
  const c = await open({ auth: await authFor(S.server.url, demo('sofia')) });
  await c.page.goto('/settings');
  await c.page.getByLabel('Mobile number').fill('+393331112233');
  await c.page.getByRole('button', { name: 'Save profile' }).click();
  const phone = c.page.locator('#phone-proof');
  await phone.getByText('Not confirmed yet').waitFor();
  await phone.getByRole('button', { name: 'Send a code by SMS' }).click();
  await phone.getByText('We sent a code by SMS to +393331112233.').waitFor();
  const sms = S.standIns.sms.at(-1);
  assert.equal(sms.To, '+393331112233');
  const code = /\b(\d{6})\b/.exec(sms.Body)[1];
  await phone.getByLabel('Code').fill(code);
  await phone.getByRole('button', { name: 'Confirm the number' }).click();
  await phone.getByText('Confirmed: SMS and WhatsApp messages go to this number.').waitFor();

  const tg = c.page.locator('#telegram-proof');
  await tg.getByRole('button', { name: 'Connect Telegram' }).click();
  const url = await tg.getByRole('link', { name: 'Open @TutorbaseE2EBot in Telegram' }).getAttribute('href');
  const token = /^https:\/\/t\.me\/TutorbaseE2EBot\?start=([A-Za-z0-9]+)$/.exec(url)[1];
  await tg.getByRole('button', { name: 'I pressed Start' }).click();
  await tg.getByText('Not yet: press Start').waitFor();
  S.standIns.telegram.write(424242, `/start ${token}`); // Sofia presses Start in Telegram
  await tg.getByRole('button', { name: 'I pressed Start' }).click();
  await tg.getByText('Telegram is connected.').waitFor();
  assert.equal(String(S.standIns.telegram.sent.at(-1).chat_id), '424242', 'the bot confirms in the chat');
  await c.page.reload();
  await c.page.locator('#phone-proof').getByText('Confirmed').waitFor();
  await c.page.locator('#telegram-proof').getByText('Telegram is connected.').waitFor();
  clean(c);
});

test('a burst of notifications makes an open page count the unread ones one request at a time', async () => {
  const auth = await newStudent('Burst Tester');
  const c = await open({ auth });
  const counts = (r) => r.url().includes('/api/collections/notifications/records?') && r.url().includes('perPage=1');
  let inFlight = 0;
  let most = 0;
  c.page.on('request', (r) => { if (counts(r)) { inFlight += 1; most = Math.max(most, inFlight); } });
  const done = (r) => { if (counts(r)) inFlight -= 1; };
  c.page.on('requestfinished', done);
  c.page.on('requestfailed', done);
  const subscribed = c.page.waitForResponse((r) => r.url().endsWith('/api/realtime') && r.request().method() === 'POST');
  await c.page.goto('/settings');
  await subscribed;
  await c.page.waitForFunction(() => document.getElementById('unread-badge'));
  await c.page.waitForTimeout(300);
  most = inFlight;
  const su = await superuserToken(S.server.url);
  await Promise.all(Array.from({ length: 12 }, (_, i) => api(S.server.url, '/api/collections/notifications/records', {
    method: 'POST', token: su, body: { user: auth.record.id, kind: 'digest', title: `News ${i + 1}`, body: 'A burst of news.' },
  })));
  await c.page.locator('#unread-badge').filter({ hasText: /^12$/ }).waitFor();
  assert.equal(most, 1, 'one count in flight at a time (a person may have at most 4 lists in flight)');
  clean(c);
});

test("a lesson reaches its student's lessons page and calendar and its tutor's calendar live, on their own topics; another student's pages are not told", async () => {
  const giulia = await tutorId('Giulia Rossi');
  const auth = await newStudent('Live Lessons');
  const lessonsPage = await open({ auth });
  const calendarPage = await open({ auth });
  const tutor = await open({ auth: await authFor(S.server.url, demo('giulia')) });
  const bystander = await open({ auth: await newStudent('Live Bystander') });
  // each page's realtime subscription is posted with the person's own bookings topic
  const subscribed = (c) => c.page.waitForResponse((r) => r.url().endsWith('/api/realtime') && r.request().method() === 'POST' && (r.request().postData() || '').includes('"my/bookings"'));
  const ready = [subscribed(lessonsPage), subscribed(calendarPage), subscribed(tutor), subscribed(bystander)];
  await lessonsPage.page.goto('/lessons');
  await calendarPage.page.goto('/calendar');
  await tutor.page.goto('/tutor/calendar');
  await bystander.page.goto('/calendar');
  await Promise.all(ready);
  // a reload of the calendar after a change asks the agenda (student) or the bookings (tutor) again
  const agendaAsked = (c) => c.page.waitForRequest((r) => r.url().includes('/api/agenda'));
  const calendarAgain = agendaAsked(calendarPage);
  const tutorAgain = tutor.page.waitForRequest((r) => r.url().includes('/api/collections/bookings/records'));
  let bystanderAsked = 0;
  bystander.page.on('request', (r) => { if (r.url().includes('/api/agenda')) bystanderAsked += 1; });

  const to = new Date(Date.now() + 14 * 86400000);
  const { slots } = await api(S.server.url, `/api/tutors/${giulia}/slots?from=${new Date(Date.now() + 86400000).toISOString()}&to=${to.toISOString()}&minutes=60`);
  const slot = slots.at(-1);
  await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: auth.token, body: { tutor: giulia, start: slot.start, end: slot.end } });
  await lessonsPage.page.locator(`#upcoming li.lesson[data-start="${new Date(slot.start).toISOString()}"]`).waitFor();
  await calendarAgain;
  await tutorAgain;
  await tutor.page.locator('[role="status"]').filter({ hasText: 'New booking from Live Lessons' }).waitFor({ state: 'attached' });
  await bystander.page.waitForTimeout(500);
  assert.equal(bystanderAsked, 0, "another student's calendar is not told of the lesson");
  clean(lessonsPage, calendarPage, tutor, bystander);
});

test('every string of the web app has an Italian translation', async () => {
  const { missing } = await import('./i18n-keys.mjs');
  assert.deepEqual(await missing(), []);
});

// the teaching tests run last: they add to the per-IP rate-limit windows the
// tests above were written within
await import('./teaching.mjs');

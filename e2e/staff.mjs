// Tutors, staff and what students read (issue 14, items 10-15): time off
// over booked lessons, the staff's bookings (views, filters, one menu per
// row, a phone, booking for a student), deliveries with their message,
// notifications as the app's text with a toast, and payments that say what
// they mean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo, superuserToken } from './lib.mjs';
import { S, open, clean, tutorId, nextWeekSlots, lastFreeFor, newStudent, withSchool } from './suite.mjs';

/** "2027-03-01T09:30" of instant iso in zone, for a datetime-local input. */
function localInput(iso, zone) {
  const p = {};
  for (const x of new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso))) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

const at = (v) => new Date(String(v).replace(' ', 'T'));

test('time off over booked lessons warns, lists them, cancels them (the student told) or keeps them; the calendar shows it', async () => {
  const su = await superuserToken(S.server.url);
  const marco = await authFor(S.server.url, demo('marco'));
  const now = new Date().toISOString().replace('T', ' ');
  const mine = await api(S.server.url, `/api/collections/bookings/records?sort=start&filter=${encodeURIComponent(`start > "${now}" && status = "confirmed"`)}`, { token: marco.token });
  assert.ok(mine.items.length >= 2, 'the demo gives Marco lessons next week');
  const [first, second] = mine.items;
  const tu = await open({ auth: marco });
  const added = [];
  try {
    await tu.page.goto('/tutor/availability');
    const form = tu.page.locator('form').filter({ has: tu.page.getByRole('button', { name: 'Add time off' }) });
    const addOver = async (lesson, reason) => {
      await form.getByLabel('From', { exact: true }).fill(localInput(at(lesson.start).getTime() - 3600000, 'Europe/Rome'));
      await form.getByLabel('Until', { exact: true }).fill(localInput(at(lesson.end).getTime() + 3600000, 'Europe/Rome'));
      await form.getByLabel('Reason (optional)').fill(reason);
      await form.getByRole('button', { name: 'Add time off' }).click();
      const dialog = tu.page.getByRole('dialog', { name: 'This time off covers a booked lesson' });
      await dialog.locator('.covered-lessons li').filter({ hasText: lesson.student_name }).waitFor();
      return dialog;
    };
    // cancel: the lesson is cancelled as the tutor cancels, its student told why
    let dialog = await addOver(first, 'Dentist');
    await dialog.getByRole('button', { name: 'Add it and cancel these lessons' }).click();
    await tu.page.getByText('Time off added; the lesson is cancelled and its student told.').waitFor();
    const b1 = await api(S.server.url, `/api/collections/bookings/records/${first.id}`, { token: su });
    assert.equal(b1.status, 'cancelled');
    assert.equal(b1.cancel_reason, 'time_off');
    const told = await api(S.server.url, `/api/collections/notifications/records?filter=${encodeURIComponent(`user = "${first.student}" && kind = "booking_cancelled"`)}`, { token: su });
    assert.ok(told.items.some((n) => /the tutor is away|il tutor è assente/.test(n.app)), 'the student reads why, in their language');

    // keep: the lesson stays
    dialog = await addOver(second, 'Training');
    await dialog.getByRole('button', { name: 'Add it and keep the lessons' }).click();
    await tu.page.getByText('Time off added; your booked lessons stay.').waitFor();
    assert.equal((await api(S.server.url, `/api/collections/bookings/records/${second.id}`, { token: su })).status, 'confirmed');
    for (const o of (await api(S.server.url, `/api/collections/time_off/records?filter=${encodeURIComponent('reason = "Dentist" || reason = "Training"')}`, { token: su })).items) added.push(o.id);
    assert.equal(added.length, 2);

    // the calendar shows the time off on its day
    await tu.page.goto('/tutor/calendar');
    await tu.page.locator('#calendar').waitFor();
    for (let i = 0; i < 3 && !await tu.page.locator('.away').filter({ hasText: 'Training' }).count(); i++) {
      const label = await tu.page.locator('.week-label').textContent();
      await tu.page.getByRole('button', { name: /Next week/ }).click();
      await tu.page.waitForFunction((b) => document.querySelector('.week-label').textContent !== b && document.querySelector('#calendar') && !document.querySelector('[aria-busy="true"] > #calendar'), label);
    }
    await tu.page.locator('.away').filter({ hasText: /Away \d\d:\d\d–\d\d:\d\d · Training/ }).waitFor();
    clean(tu);
  } finally {
    for (const id of added) await api(S.server.url, `/api/collections/time_off/records/${id}`, { method: 'DELETE', token: su });
  }
});

test("staff bookings: today and this week first, nearest first, filters, one action menu per row, a phone, and booking for a student", async () => {
  const admin = await authFor(S.server.url, demo('admin'));
  const a = await open({ auth: admin });
  await a.page.goto('/admin/bookings');
  await a.page.getByRole('link', { name: 'Today and this week' }).and(a.page.locator('[aria-current="page"]')).waitFor();
  await a.page.getByRole('heading', { name: 'Today', level: 2 }).waitFor();
  await a.page.getByRole('heading', { name: 'Later this week', level: 2 }).waitFor();

  // upcoming, nearest first, filtered by tutor; one menu per row
  await a.page.getByRole('link', { name: 'Upcoming', exact: true }).click();
  await a.page.getByLabel('Tutor', { exact: true }).selectOption({ label: 'Giulia Rossi' });
  await a.page.getByRole('button', { name: 'Filter' }).click();
  await a.page.waitForURL((u) => u.searchParams.get('view') === 'upcoming' && !!u.searchParams.get('tutor'));
  const rows = a.page.locator('tbody tr[data-id]');
  await rows.first().waitFor();
  const starts = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.start));
  assert.deepEqual(starts, [...starts].sort(), 'nearest first');
  for (const tutor of await a.page.locator('tbody tr td:nth-child(2)').allTextContents()) assert.equal(tutor, 'Giulia Rossi');
  assert.equal(await rows.first().locator('details.row-menu').count(), 1, 'one menu');
  assert.equal(await rows.first().locator(':scope > td > button').count(), 0, 'no loose buttons');
  await rows.first().locator('summary').click();
  await rows.first().locator('.menu-items').getByRole('button', { name: 'Cancel', exact: true }).waitFor();
  await rows.first().locator('.menu-items').getByRole('link', { name: 'Details' }).waitFor();
  clean(a);

  // on a phone the page and its rows fit the screen
  const p = await open({ auth: admin, viewport: { width: 360, height: 740 } });
  await p.page.goto('/admin/bookings?view=upcoming');
  await p.page.locator('tbody tr[data-id]').first().waitFor();
  assert.equal(await p.page.locator('html').evaluate((el) => el.scrollWidth > el.clientWidth + 1), false, 'no sideways scrolling');
  clean(p);

  // booking for a student: choose them and the tutor, then a time in the tutor's week
  const hannah = await authFor(S.server.url, demo('hannah'));
  const emily = await tutorId('Emily Carter');
  const b = await open({ auth: admin });
  await b.page.goto('/admin/bookings');
  await b.page.getByRole('button', { name: 'Book for a student' }).click();
  const dialog = b.page.getByRole('dialog', { name: 'Book for a student' });
  await dialog.getByLabel('Student name or email').fill('Hannah');
  // the list narrows to who matches (it first lists every student)
  const students = dialog.getByLabel('Student', { exact: true });
  await b.page.waitForFunction((el) => el.options.length === 1, await students.elementHandle());
  assert.equal(await students.locator('option').textContent(), `Hannah Schmidt · ${demo('hannah')}`);
  await dialog.getByLabel('Tutor', { exact: true }).selectOption({ label: 'Emily Carter' });
  await dialog.getByRole('button', { name: 'Choose a time' }).click();
  await b.page.waitForURL((u) => u.pathname === `/tutors/${emily}` && u.searchParams.get('for') === hannah.record.id);
  await b.page.getByText('Booking for Hannah Schmidt').waitFor();
  const slot = await lastFreeFor(b.page, await nextWeekSlots(b.page), S.server.url, hannah.token);
  const start = new Date(await slot.getAttribute('data-start')).toISOString();
  await slot.click();
  const book = b.page.getByRole('dialog', { name: 'Book a lesson for Hannah Schmidt' });
  await book.getByRole('button', { name: 'Confirm booking' }).click();
  await book.getByRole('heading', { name: 'Lesson booked' }).waitFor();
  const hers = await api(S.server.url, `/api/collections/bookings/records?filter=${encodeURIComponent(`start = "${start.replace('T', ' ')}"`)}`, { token: hannah.token });
  assert.equal(hers.items.length, 1, "the lesson is Hannah's");
  await api(S.server.url, `/api/bookings/${hers.items[0].id}/cancel`, { method: 'POST', token: admin.token, body: { reason: 'test' } });
  clean(b);
});

test("deliveries show each message, and a channel that is not set up links to its setting", async () => {
  const su = await superuserToken(S.server.url);
  const email = await api(S.server.url, `/api/collections/deliveries/records?perPage=1&sort=-created&filter=${encodeURIComponent('channel = "email"')}&expand=notification`, { token: su });
  assert.ok(email.items.length, 'the suite has emailed someone');
  const d = email.items[0];
  await api(S.server.url, `/api/collections/deliveries/records/${d.id}`, { method: 'PATCH', token: su, body: { status: 'queued', last_error: 'not configured' } });
  const a = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await a.page.goto('/admin/deliveries?channel=email');
  const row = a.page.locator(`tr[data-id="${d.id}"]`);
  await row.locator('details.message summary').filter({ hasText: d.expand.notification.title }).click();
  await row.locator('details.message p').waitFor();
  assert.doesNotMatch(await row.locator('details.message p').textContent(), /https?:\/\//, 'the text, not the email with its links');
  const link = row.getByRole('link', { name: 'Set up email: dashboard → Settings → Mail settings' });
  assert.equal(await link.getAttribute('href'), '/_/#/settings/mail');
  clean(a);
});

test('a notification reads as the app text with a link to the lesson, and a live one shows a toast', async () => {
  const giulia = await tutorId('Giulia Rossi');
  const auth = await newStudent('Nora Toast');
  const s = await open({ auth });
  await s.page.goto('/lessons');
  await s.page.getByRole('heading', { name: 'My lessons', level: 1 }).waitFor();
  const to = new Date(Date.now() + 14 * 86400000);
  const { slots } = await api(S.server.url, `/api/tutors/${giulia}/slots?from=${new Date(Date.now() + 86400000).toISOString()}&to=${to.toISOString()}&minutes=60`);
  const b = await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: auth.token, body: { tutor: giulia, start: slots.at(-1).start, end: slots.at(-1).end } });
  const toast = s.page.locator('#toasts .toast').filter({ hasText: 'New lesson booked with Giulia Rossi' });
  await toast.getByRole('link', { name: 'Open the lesson' }).click();
  await s.page.waitForURL(`**/lessons/${b.id}`);
  await s.page.goto('/notifications');
  const note = s.page.locator('#inbox li').filter({ hasText: 'New lesson booked with Giulia Rossi' });
  const text = await note.locator('p').first().textContent();
  assert.match(text, /^A lesson with Giulia Rossi has been booked for /);
  assert.doesNotMatch(text, /https?:\/\/|Hi Nora/, 'no greeting, no raw link');
  assert.equal(await note.getByRole('link', { name: 'Open the lesson' }).getAttribute('href'), `/lessons/${b.id}`);
  clean(s);
});

test("payments: the pay dialog speaks of the lesson and the school's text for lessons; a cancelled lesson is not 'unpaid'", async () => {
  const giulia = await tutorId('Giulia Rossi');
  const auth = await newStudent('Paolo Payer');
  const lessonText = 'Pay for a lesson at the front desk, quoting its date.';
  const packageText = 'Pay for a package by bank transfer to IT00 X000 0000 0000.';
  await withSchool({ lesson_payment_instructions: lessonText, payment_instructions: packageText }, async () => {
    const s = await open({ auth });
    const { slots } = await api(S.server.url, `/api/tutors/${giulia}/slots?from=${new Date(Date.now() + 86400000).toISOString()}&to=${new Date(Date.now() + 14 * 86400000).toISOString()}&minutes=60`);
    const [x, y] = [slots.at(-1), slots.at(-3)];
    const keep = await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: auth.token, body: { tutor: giulia, start: x.start, end: x.end } });
    const gone = await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: auth.token, body: { tutor: giulia, start: y.start, end: y.end } });
    await api(S.server.url, `/api/bookings/${gone.id}/cancel`, { method: 'POST', token: auth.token, body: {} });
    await s.page.goto('/lessons');
    const cancelled = s.page.locator(`#past li.lesson[data-id="${gone.id}"]`);
    await cancelled.waitFor();
    assert.equal(await cancelled.locator('.status-unpaid').count(), 0, 'a cancelled lesson owes nothing');
    const item = s.page.locator(`#upcoming li.lesson[data-id="${keep.id}"]`);
    await item.locator('.status-unpaid').waitFor();
    await item.getByRole('button', { name: 'Pay', exact: true }).click();
    const pay = s.page.getByRole('dialog', { name: 'Pay for this lesson' });
    await pay.getByRole('button', { name: 'Continue to payment' }).click(); // no promotion code
    await pay.getByText(lessonText).waitFor();
    const said = await pay.textContent();
    assert.doesNotMatch(said, /credit/i, 'paying for a lesson is not about credits');
    assert.match(said, /the lesson then shows as paid/);
    await pay.getByRole('link', { name: 'See my payments' }).click();
    await s.page.getByRole('button', { name: 'How to pay' }).first().click();
    await s.page.getByRole('dialog', { name: 'How to pay' }).getByText(lessonText).waitFor();
    clean(s);
  });
});

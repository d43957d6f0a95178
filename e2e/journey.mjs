// The booking journey (issue 15, items 1-5): a chosen time survives signing
// up, week views open where there is free time, the student hears of what
// they booked, a series books the weeks that fit, and every time follows
// the person's locale and zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo, superuserToken } from './lib.mjs';
import { S, open, clean, expectRefused, tutorId, nextWeekSlots, signUp, stamp, sameWallTime, newStudent, withSchool, inDialog } from './suite.mjs';

test('the booking dialog closes when the page changes, and the chosen time is offered again after signing up', async () => {
  const giulia = await tutorId('Giulia Rossi');
  const v = await open();
  await v.page.goto(`/tutors/${giulia}`);
  const slot = v.page.locator('.week button.slot').first();
  await slot.waitFor();
  const start = await slot.getAttribute('data-start');
  const when = (await slot.getAttribute('aria-label')).replace(/^Book /, '');
  await slot.click();
  const dialog = v.page.getByRole('dialog', { name: 'Book a lesson' });
  await dialog.getByText('We keep the time you chose').waitFor();
  assert.ok(await inDialog(v.page), 'focus moves into the dialog');
  await dialog.getByRole('link', { name: 'Sign up' }).click();
  await v.page.getByRole('heading', { name: 'Create an account', level: 1 }).waitFor();
  assert.equal(await v.page.locator('dialog').count(), 0, 'the dialog closed with the page');

  await signUp(v.page, { name: `Vera Visitor ${stamp}`, email: `vera.${stamp}@example.com` }, { go: false });
  await v.page.waitForURL((u) => u.pathname === `/tutors/${giulia}` && u.searchParams.get('slot') === new Date(start).toISOString());
  const offer = v.page.locator('.chosen-slot');
  await offer.getByText(`You chose ${when}.`).waitFor();
  await v.page.locator(`.week button.slot.chosen[data-start="${start}"]`).waitFor(); // its week, marked
  await offer.getByRole('button', { name: 'Book this time' }).click();
  const again = v.page.getByRole('dialog', { name: 'Book a lesson' });
  await again.getByRole('button', { name: 'Confirm booking' }).waitFor();
  assert.equal(await again.locator('form > p > strong').first().textContent(), when, 'the same time is offered');
  clean(v);
});

test('week views open on the first week with free time, show past days as past and jump by month', async () => {
  const arjun = await tutorId('Arjun Mehta');
  const su = await superuserToken(S.server.url);
  const now = new Date();
  // Arjun is away for the next 17 days: his first free time is in a later week
  const off = await api(S.server.url, '/api/collections/time_off/records', { method: 'POST', token: su, body: {
    tutor: arjun, start: now.toISOString(), end: new Date(now.getTime() + 17 * 86400000).toISOString(), reason: 'Conference',
  } });
  try {
    const to = new Date(now.getTime() + 62 * 86400000);
    const { slots } = await api(S.server.url, `/api/tutors/${arjun}/slots?from=${now.toISOString()}&to=${to.toISOString()}&minutes=60`);
    assert.ok(slots.length, 'Arjun has free time after his conference');
    const first = slots[0].start;
    const v = await open();
    await v.page.goto(`/tutors/${arjun}`);
    await v.page.locator(`.week button.slot[data-start="${first}"]`).waitFor(); // opened on the week of the first free time
    const jump = v.page.getByRole('button', { name: /^First available: / });
    assert.match(await jump.textContent(), /^First available: .+ \(Europe\/Rome\)$/);
    assert.equal(await v.page.getByRole('button', { name: /Previous week/ }).isDisabled(), false, 'a later week, not this one');

    // back to this week: the days gone by are shown as past
    const prev = v.page.getByRole('button', { name: /Previous week/ });
    while (!await prev.isDisabled()) {
      const label = await v.page.locator('.week-label').textContent();
      await prev.click();
      await v.page.waitForFunction((b) => document.querySelector('.week-label').textContent !== b && document.querySelector('.week'), label);
    }
    const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', weekday: 'short' }).format(new Date());
    const gone = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(weekday);
    assert.equal(await v.page.locator('.week .day.past').count(), gone, `${gone} days of this week are past`);
    for (const day of await v.page.locator('.week .day.past').all()) assert.equal(await day.locator('.none').textContent(), 'Past');

    await jump.click();
    await v.page.locator(`.week button.slot[data-start="${first}"]`).waitFor();

    // the month picker jumps to the first week with free time of a later month
    const picker = v.page.getByLabel('Jump to a month');
    const target = await picker.locator('option').nth(3).textContent(); // two months after this one
    await picker.selectOption({ label: target });
    await v.page.waitForFunction(() => document.querySelector('.week button.slot'));
    await v.page.waitForFunction((m) => {
      const b = document.querySelector('.week button.slot');
      return b && new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', month: 'long', year: 'numeric' }).format(new Date(b.dataset.start)) === m;
    }, target);
    clean(v);
  } finally {
    await api(S.server.url, `/api/collections/time_off/records/${off.id}`, { method: 'DELETE', token: su });
  }

  // the same week view in the reschedule dialog and the tutor's preview
  const luca = await open({ auth: await authFor(S.server.url, demo('luca')) });
  await luca.page.goto('/lessons');
  await luca.page.locator('#upcoming li.lesson').first().getByRole('button', { name: 'Reschedule' }).click();
  const move = luca.page.getByRole('dialog', { name: 'Move this lesson' });
  await move.getByRole('button', { name: /^First available: / }).waitFor();
  await move.getByLabel('Jump to a month').waitFor();
  const tutor = await open({ auth: await authFor(S.server.url, demo('giulia')) });
  await tutor.page.goto('/tutor/availability');
  await tutor.page.getByRole('button', { name: /^First available: / }).waitFor();
  clean(luca, tutor);
});

test('a weekly series: the weeks that fit are offered, the weeks field and the error agree, a clock change is pointed out', async () => {
  const giulia = await tutorId('Giulia Rossi');
  // a student in India, whose clocks never change, and a tutor in Rome, whose do
  const auth = await newStudent('Priya Series', { timezone: 'Asia/Kolkata' });
  await withSchool({ max_unpaid_lessons: 0 }, async () => {
    const s = await open({ auth, timezoneId: 'Asia/Kolkata' });
    await s.page.goto(`/tutors/${giulia}`);
    const slots = await nextWeekSlots(s.page);
    const slot = slots.first();
    const start = await slot.getAttribute('data-start');
    // someone else takes the third week's lesson
    const su = await superuserToken(S.server.url);
    const other = await authFor(S.server.url, demo('james'));
    const third = sameWallTime(start, 'Europe/Rome', 14);
    await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: su, body: {
      tutor: giulia, student: other.record.id, start: third, end: new Date(new Date(third).getTime() + 3600000).toISOString(),
    } });

    await slot.click();
    const dialog = s.page.getByRole('dialog', { name: 'Book a lesson' });
    await dialog.getByLabel('Repeat every week at this time').check();
    const weeks = dialog.getByLabel('Number of weeks');
    const field = dialog.locator('[data-field="weeks"]');
    assert.equal((await field.locator('.hint').textContent()).trim(), 'Choose 2 to 52 weeks.');
    for (const bad of ['1', '53']) {
      await weeks.fill(bad);
      await dialog.getByRole('button', { name: 'Confirm booking' }).click();
      await field.locator('.field-error').filter({ hasText: 'Choose 2 to 52 weeks.' }).waitFor(); // the hint's range
    }
    // a year of lessons spans both of Rome's clock changes: pointed out before confirming
    await weeks.fill('52');
    const dst = dialog.locator('.dst-note');
    await dst.getByText('The clocks change during these weeks: the lesson keeps its time in Europe/Rome, so in your zone (Asia/Kolkata) it moves.').waitFor();
    assert.ok(await dst.locator('li').count() >= 2, 'each change is listed');

    await weeks.fill('4');
    await dialog.getByRole('button', { name: 'Confirm booking' }).click();
    await dialog.getByRole('heading', { name: 'These dates cannot be booked:' }).waitFor();
    assert.equal(await dialog.locator('.occurrences li').count(), 1);
    await dialog.getByRole('button', { name: 'Book the 3 weeks that fit' }).click();
    await dialog.getByRole('heading', { name: 'Lesson booked' }).waitFor();
    assert.equal(await dialog.locator('.booked li').count(), 3);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

    // one notification for the series, listing its dates
    await s.page.getByRole('link', { name: /^Notifications/ }).click();
    const note = s.page.locator('#inbox li').filter({ hasText: '3 weekly lessons booked with Giulia Rossi' });
    await note.waitFor();
    assert.equal((await note.locator('p').first().textContent()).match(/^- /gm).length, 3, 'the three dates');
    assert.equal(await s.page.locator('#inbox li').count(), 1, 'one notification, not one per week');
    expectRefused(s);
    clean(s);
  });
});

test("times follow the person's locale and zone, payment lines included", async () => {
  const giulia = await tutorId('Giulia Rossi');
  const auth = await newStudent('Lena Angeles', { timezone: 'America/Los_Angeles' });
  const s = await open({ auth, locale: 'en-US', timezoneId: 'America/Los_Angeles' });
  const dictionary = [];
  // the page's own requests (the service worker fetches what it asks for again, from the network or its cache)
  s.context.on('request', (r) => { if (r.url().endsWith('/js/lang/it.js') && !r.serviceWorker()) dictionary.push(r.url()); });
  await s.page.goto(`/tutors/${giulia}`);
  await s.page.locator('.week button.slot').first().waitFor();
  assert.match(await s.page.locator('.zone-note').first().textContent(), /America\/Los_Angeles/);
  for (const text of await s.page.locator('.week button.slot').allTextContents()) assert.match(text, /^\d{1,2}:\d{2}\s(AM|PM)$/, 'a 12-hour time for en-US');
  assert.match(await s.page.locator('.week button.slot').first().getAttribute('aria-label'), /(AM|PM) \(America\/Los_Angeles\)$/);

  // a lesson's payment line, in the student's zone and locale
  const slot = (await s.page.locator('.week button.slot').first().getAttribute('data-start'));
  const b = await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: auth.token, body: {
    tutor: giulia, start: slot, end: new Date(new Date(slot).getTime() + 3600000).toISOString(),
  } });
  const co = await api(S.server.url, '/api/purchases/checkout', { method: 'POST', token: auth.token, body: { booking: b.id } });
  await s.page.goto('/payments');
  const line = s.page.locator('section[aria-labelledby="pa-h"] tbody tr').first().locator('td').nth(1);
  assert.match(await line.textContent(), /^Lesson with Giulia Rossi on \w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} (AM|PM) \(America\/Los_Angeles\)$/);
  // an older line the server wrote in UTC: the example
  const su = await superuserToken(S.server.url);
  await api(S.server.url, `/api/collections/payments/records/${co.payment.id}`, { method: 'PATCH', token: su, body: { description: 'Lesson with Giulia Rossi on 2026-12-07 15:30 UTC' } });
  await s.page.reload();
  await line.filter({ hasText: /^Lesson with Giulia Rossi on Mon, Dec 7, 2026, 7:30\sAM \(America\/Los_Angeles\)$/ }).waitFor();
  assert.deepEqual(dictionary, [], 'English needs no dictionary');

  // the same in Italian: 24-hour times
  await s.page.getByLabel('Language', { exact: true }).selectOption('it');
  await s.page.getByRole('heading', { name: 'Pagamenti e fatture', level: 1 }).waitFor();
  await line.filter({ hasText: /^Lezione con Giulia Rossi il lun 7 dic 2026, 07:30 \(America\/Los_Angeles\)$/ }).waitFor();
  assert.equal(dictionary.length, 1, 'the Italian dictionary, loaded once it is needed');
  await s.page.goto(`/tutors/${giulia}`);
  await s.page.locator('.week button.slot').first().waitFor();
  for (const text of await s.page.locator('.week button.slot').allTextContents()) assert.match(text, /^\d{2}:\d{2}$/, 'a 24-hour time in Italian');
  await s.page.getByLabel('Lingua', { exact: true }).selectOption('en');
  clean(s);
});

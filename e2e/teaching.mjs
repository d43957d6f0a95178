// Teaching between lessons (issue 17): a tutor writes a lesson's report
// with homework; the student reads it, marks the homework done (with a
// file) on their "To do" list, and sees the rating on their progress
// chart; the tutor sees the homework done live; calendars place lessons in
// the viewer's own zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo, superuserToken } from './lib.mjs';
import { S, open, clean, tutorId, newStudent } from './suite.mjs';

test('a tutor writes a report with homework; the student sees it, marks the homework done, and the progress chart shows the rating', async () => {
  const tutorAuth = await authFor(S.server.url, demo('giulia'));
  const done = await api(S.server.url, `/api/collections/bookings/records?sort=-start&filter=${encodeURIComponent('status = "completed"')}`, { token: tutorAuth.token });
  const b = done.items[0];
  assert.ok(b, 'the demo gives Giulia lessons last week');
  const su = await superuserToken(S.server.url);
  const studentUser = await api(S.server.url, `/api/collections/users/records/${b.student}`, { token: su });
  const studentAuth = await authFor(S.server.url, studentUser.email);

  const tu = await open({ auth: tutorAuth });
  await tu.page.goto(`/lessons/${b.id}`);
  await tu.page.getByRole('heading', { name: 'Lesson report' }).waitFor();
  await tu.page.getByLabel('Topics covered').fill('Quadratic equations');
  const subject = tu.page.getByLabel('Subject rated');
  const subjectName = (await subject.locator('option').nth(1).textContent()).trim();
  await subject.selectOption({ index: 1 });
  await tu.page.getByLabel('Progress rating').selectOption('4');
  await tu.page.getByLabel('Comment for the student').fill('Much more confident.');
  await tu.page.getByLabel('Homework', { exact: true }).fill('Exercises 3 to 7 on page 42');
  const due = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  await tu.page.getByLabel('Homework due').fill(due);
  await tu.page.getByRole('button', { name: 'Send the report' }).click();
  await tu.page.locator('#report').getByText('Quadratic equations').waitFor();
  await tu.page.locator('#report .homework-status').getByText('Not done yet').waitFor();
  await tu.page.getByRole('heading', { name: /^Private notes about / }).waitFor();
  await tu.page.getByLabel('New private note').fill('Gets anxious before tests');
  await tu.page.getByRole('button', { name: 'Add the note' }).click();
  await tu.page.locator('.notes-list').getByText('Gets anxious before tests').waitFor();

  const st = await open({ auth: studentAuth });
  await st.page.goto(`/lessons/${b.id}`);
  await st.page.locator('#report').getByText('Quadratic equations').waitFor();
  await st.page.locator('#report').getByText('Much more confident.').waitFor();
  assert.equal(await st.page.getByText('Gets anxious before tests').count(), 0, 'private notes stay private');
  assert.equal(await st.page.getByRole('heading', { name: /^Private notes/ }).count(), 0);

  await st.page.getByRole('link', { name: 'To do' }).click();
  const item = st.page.locator('#todo li.homework').filter({ hasText: 'Exercises 3 to 7 on page 42' });
  await item.getByText(/^Due /).waitFor();
  await item.getByLabel('Attach your work (optional)').setInputFiles({ name: 'answers.txt', mimeType: 'text/plain', buffer: Buffer.from('x = 2 or x = -3') });
  await item.getByRole('button', { name: 'Mark as done' }).click();
  await st.page.locator('#done li.homework').filter({ hasText: 'Exercises 3 to 7 on page 42' }).getByText(/^Done on /).waitFor();
  assert.equal(await st.page.locator('#todo li.homework').filter({ hasText: 'Exercises 3 to 7 on page 42' }).count(), 0);

  // the tutor's open page shows it done, live, with the file
  await tu.page.locator('#report .homework-status').getByText(/^Done on /).waitFor();
  await tu.page.locator('#report').getByRole('button', { name: 'Open the attached file' }).waitFor();

  await st.page.getByRole('link', { name: 'My progress' }).click();
  await st.page.getByRole('heading', { name: 'My progress' }).waitFor();
  const card = st.page.locator('section.progress-subject').filter({ has: st.page.getByRole('heading', { name: subjectName }) });
  await card.locator('svg.rating-chart circle.point[data-rating="4"]').waitFor();
  await st.page.locator('.timeline').getByText('Quadratic equations').waitFor(); // the reports' timeline
  await st.page.getByRole('button', { name: 'Print' }).waitFor();
  await st.page.emulateMedia({ media: 'print' });
  assert.equal(await st.page.locator('.site-header').isVisible(), false, 'printed without the navigation');
  assert.equal(await card.locator('svg.rating-chart').isVisible(), true, 'the chart prints');
  await st.page.emulateMedia({ media: 'screen' });

  // the tutor's view of the student's progress
  await tu.page.getByRole('link', { name: /^Progress of / }).click();
  await tu.page.locator('section.progress-subject svg.rating-chart circle.point[data-rating="4"]').first().waitFor();
  clean(tu, st);
});

test('the week grid shows a lesson in the viewer\'s zone and opens its page', async () => {
  const emily = await tutorId('Emily Carter');
  const auth = await newStudent('Kenji Calendar', { timezone: 'Asia/Tokyo' });
  const from = new Date(Date.now() + 15 * 86400000);
  const to = new Date(Date.now() + 22 * 86400000);
  const { slots } = await api(S.server.url, `/api/tutors/${emily}/slots?from=${from.toISOString()}&to=${to.toISOString()}&minutes=60`);
  // a lesson within one day in Tokyo (one that runs past midnight there is
  // drawn in two columns, which depends on the hour the test runs)
  const tokyoDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
  const inOneDay = slots.filter((s) => tokyoDay(Date.parse(s.start)) === tokyoDay(Date.parse(s.end) - 1));
  assert.ok(inOneDay.length, 'Emily has free time in three weeks');
  const slot = inOneDay[Math.floor(inOneDay.length / 2)];
  const b = await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: auth.token, body: { tutor: emily, start: slot.start, end: slot.end } });

  const s = await open({ auth, timezoneId: 'Europe/Rome' }); // the browser's zone is not the person's
  await s.page.goto('/lessons');
  await s.page.getByRole('link', { name: 'Calendar' }).first().click();
  await s.page.getByRole('heading', { name: 'Calendar', level: 1 }).waitFor();
  assert.match(await s.page.locator('.zone-note').textContent(), /Asia\/Tokyo/);
  assert.equal(await s.page.getByRole('button', { name: 'Week', exact: true }).getAttribute('aria-pressed'), 'true');
  const link = s.page.locator(`#calendar a.event[data-id="${b.id}"]`);
  await nextUntil(s.page, link);
  await link.waitFor();
  const hm = (iso) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  assert.equal(await link.locator('.event-time').textContent(), `${hm(slot.start)}–${hm(slot.end)}`);
  assert.match(await link.getAttribute('aria-label'), /\(Asia\/Tokyo\)/);
  const day = tokyoDay(Date.parse(slot.start));
  assert.equal(await link.evaluate((a) => a.closest('.cal-day').dataset.day), day, 'in the column of its day in Tokyo');
  // its place on the grid follows the hour in Tokyo: an hour is 48 px
  const [hour, minute] = hm(slot.start).split(':').map(Number);
  const tops = await s.page.evaluate((id) => {
    const li = document.querySelector(`a.event[data-id="${id}"]`).closest('li');
    const first = document.querySelector('.cal-hours .cal-hour');
    return { li: parseFloat(li.style.top), firstHour: Number(first.textContent.slice(0, 2)) };
  }, b.id);
  assert.equal(tops.li, (hour + minute / 60 - tops.firstHour) * 48);

  // day and month views, and the lesson's page from the grid
  await s.page.getByRole('button', { name: 'Month', exact: true }).click();
  await s.page.locator(`#calendar[data-view="month"] table.cal-month a.event[data-id="${b.id}"]`).waitFor();
  await s.page.getByRole('button', { name: 'Day', exact: true }).click();
  await s.page.locator('#calendar.cols-1').waitFor();
  await s.page.getByRole('button', { name: 'Week', exact: true }).click();
  await s.page.locator(`#calendar[data-view="week"] a.event[data-id="${b.id}"]`).click();
  await s.page.waitForURL(`**/lessons/${b.id}`);
  await s.page.getByRole('heading', { name: 'Lesson with Emily Carter' }).waitFor();
  clean(s);

  // the tutor's week shows the lesson and her availability
  const t = await open({ auth: await authFor(S.server.url, demo('emily')) });
  await t.page.goto('/calendar');
  await t.page.locator('#calendar .cal-avail').first().waitFor();
  await nextUntil(t.page, t.page.locator(`#calendar a.event[data-id="${b.id}"]`));
  await t.page.locator(`#calendar a.event[data-id="${b.id}"]`).waitFor();
  clean(t);
});

/** Moves a calendar on a week at a time (at most five) until locator shows. */
async function nextUntil(page, locator) {
  await page.locator('#calendar[data-from]').waitFor();
  for (let i = 0; i < 5 && !await locator.count(); i++) {
    const from = await page.locator('#calendar').getAttribute('data-from');
    await page.getByRole('button', { name: /Next/ }).click();
    await page.waitForFunction((f) => { const c = document.querySelector('#calendar'); return c && c.dataset.from && c.dataset.from !== f; }, from);
  }
  await locator.waitFor();
}

// Analytics (issue 27): staff open each report for a date range and
// download it as CSV and PDF; a visitor's page views are counted, with no
// cookie, into the conversion funnel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, authFor, demo } from './lib.mjs';
import { S, open, clean, expectRefused } from './suite.mjs';

const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

test("a visitor's page views are counted without a cookie; staff open each report for a date range and download it as CSV and PDF", async () => {
  const from = day(new Date(Date.now() - 120 * 86400000));
  const to = day(new Date(Date.now() + 86400000));
  const auth = await authFor(S.server.url, demo('admin'));
  const visits = async () => (await api(S.server.url, `/api/reports/conversion?from=${day(new Date())}&to=${to}`, { token: auth.token })).rows[0].people;
  const before = await visits();
  const v = await open();
  const counted = v.page.waitForResponse((r) => r.url().endsWith('/api/visits') && r.status() === 204);
  await v.page.goto('/');
  await counted;
  assert.deepEqual(await v.context.cookies(), [], 'no cookie');
  assert.equal(await visits(), before + 1, 'one view counted');
  clean(v);

  const a = await open({ auth });
  // a report refused for too many requests in flight (429, Retry-After) is
  // asked again after the wait, and the page shows it
  let refused = 0;
  await a.page.route('**/api/reports/conversion?*', (route) => (refused++ ? route.fallback()
    : route.fulfill({ status: 429, headers: { 'Retry-After': '1', 'Content-Type': 'application/json' }, body: '{"status":429,"message":"Too many requests in flight.","data":{}}' })));
  await a.page.goto('/admin/reports');
  await a.page.locator('section[aria-labelledby="r-conv"]').waitFor();
  assert.equal(refused, 2, 'refused once, then answered');
  await a.page.unroute('**/api/reports/conversion?*');
  expectRefused(a, /status of 429|^429 on GET \/api\/reports\/conversion/);
  await a.page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  // the default range's reports, which the chosen range's replace (until
  // then their buttons download the default range)
  const stale = await a.page.locator('section[aria-labelledby="r-conv"]').elementHandle();
  await a.page.getByLabel('From', { exact: true }).fill(from);
  await a.page.getByLabel('To (not included)').fill(to);
  await a.page.getByRole('button', { name: 'Show' }).click();
  await a.page.waitForURL(`**/admin/reports?from=${from}&to=${to}`);
  await a.page.waitForFunction((el) => !el.isConnected, stale);
  const sections = [
    ['Conversion', 'conversion', 'stage,people,of_previous'],
    ['Tutor utilisation', 'utilisation', 'week,start,tutor,name,available_hours,booked_hours,utilisation'],
    ['Retention by first-lesson month', 'retention', 'cohort,students,month_1'],
    ['Tutor performance', 'tutors', 'tutor,name,lessons,no_shows'],
    ['Student progress', 'students', 'student,name,lessons,reports'],
    ['Bookings', 'bookings', 'week,start,total'],
    ['Revenue', 'revenue', 'week,start,currency,paid,refunded,net'],
    ['Cancellations', 'cancellations', 'week,start,by_student'],
    ['Notification delivery', 'notifications', 'channel,sent,failed,queued,skipped,delivery_rate,read_rate'],
  ];
  for (const [title, name, header] of sections) {
    const section = a.page.locator('section').filter({ has: a.page.getByRole('heading', { name: title, level: 2, exact: true }) });
    await section.waitFor();
    // every chart's numbers are in a table
    for (const fig of await section.locator('figure.chart').all()) assert.ok(await fig.locator('table').count(), `${title}: the chart's table`);
    const csvButton = section.getByRole('button', { name: `Download CSV: ${title}` });
    await csvButton.scrollIntoViewIfNeeded(); // under the sticky header, a click can land before the scroll settles
    const [csv] = await Promise.all([a.page.waitForEvent('download'), csvButton.click()]);
    assert.equal(csv.suggestedFilename(), `${name}-${from}-${to}.csv`);
    const text = await readFile(await csv.path(), 'utf8');
    assert.ok(text.startsWith(header), `${name}.csv starts with ${header}: ${text.slice(0, 80)}`);
    const [pdf] = await Promise.all([a.page.waitForEvent('download'), section.getByRole('button', { name: `Download PDF: ${title}` }).click()]);
    assert.equal(pdf.suggestedFilename(), `${name}-${from}-${to}.pdf`);
    assert.equal((await readFile(await pdf.path())).subarray(0, 5).toString('latin1'), '%PDF-');
  }
  // the demo school's lessons are in the tutors' report and its table
  const perf = a.page.locator('section').filter({ has: a.page.getByRole('heading', { name: 'Tutor performance', level: 2 }) });
  assert.ok(await perf.locator('tbody tr').count() > 0, 'tutors with lessons');
  // a tutor narrows every report
  const tutor = (await a.page.locator('#rf-tutor option').nth(1).getAttribute('value'));
  await a.page.locator('#rf-tutor').selectOption(tutor);
  await a.page.getByRole('button', { name: 'Show' }).click();
  await a.page.waitForURL(`**/admin/reports?from=${from}&to=${to}&tutor=${tutor}`);
  await a.page.getByRole('heading', { name: 'Conversion', level: 2 }).waitFor();
  clean(a);
});

// Busy times from a tutor's own calendars (issue 21): the tutor pastes
// secret iCal addresses in the account page, sees each one's status, last
// read and error, refreshes and removes them; the week calendar shows
// "busy (from your calendar)" without the event's title; the slot inside
// it is gone for everyone; a calendar that keeps failing is told to the
// tutor. The calendars are served by a local HTTP server (the school allows
// private addresses for the test, feeds_allow_private).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { api, authFor, demo } from './lib.mjs';
import { S, open, clean, expectRefused, tutorId, withSchool } from './suite.mjs';

const ics = (start, end) => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'CALSCALE:GREGORIAN',
  'BEGIN:VEVENT', `DTSTART:${start}`, `DTEND:${end}`, 'UID:dentist-e2e@google.com', 'SUMMARY:Dentist appointment',
  'DESCRIPTION:Secret details', 'STATUS:CONFIRMED', 'TRANSP:OPAQUE', 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n');

const icsTime = (iso) => iso.replace(/[-:]/g, '').replace(/\.\d+/, '');

/** Serves /dentist.ics (one event over [start, end)) and /broken.ics (always a 500). */
async function calendarServer(start, end) {
  const server = createServer((req, res) => {
    if (req.url === '/dentist.ics') {
      res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
      res.end(ics(icsTime(start), icsTime(end)));
    } else { res.writeHead(500); res.end('oops'); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Monday 00:00 of d's week in zone, as a day number (for week offsets). */
function mondayNumber(d, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day) - wd) / 86400000;
}

/** A calendar of the settings list, by its name. */
const feedItem = (section, name) => section.locator('li.feed').filter({ has: section.page().getByRole('heading', { name, exact: true }) });

const hhmm = (d, zone) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

test('a tutor adds their calendars, sees each one\'s state, and a busy time blocks the slot and shows without its title', async () => {
  const emily = await tutorId('Emily Carter');
  const now = Date.now();
  const free = await api(S.server.url, `/api/tutors/${emily}/slots?minutes=60&from=${new Date(now + 2 * 86400000).toISOString()}&to=${new Date(now + 9 * 86400000).toISOString()}`);
  assert.ok(free.slots.length > 2, 'Emily has free time in the coming week');
  const slot = free.slots[Math.floor(free.slots.length / 2)];
  const start = new Date(slot.start), end = new Date(start.getTime() + 3600000);
  const cal = await calendarServer(start.toISOString(), end.toISOString());
  try {
    await withSchool({ feeds_allow_private: true }, async () => {
      const tu = await open({ auth: await authFor(S.server.url, demo('emily')) });
      await tu.page.goto('/settings');
      const section = tu.page.locator('section[aria-labelledby="busy-feeds"]');
      await section.getByRole('heading', { name: 'Busy times from your calendars' }).waitFor();
      await section.getByText('No calendars yet.').waitFor();

      // a working calendar: read at once, its state shown
      await section.getByLabel('Secret iCal address').fill(`${cal.url}/dentist.ics`);
      await section.getByLabel('Name (only you see it)').fill('Personal');
      await section.getByRole('button', { name: 'Add calendar' }).click();
      const personal = feedItem(section, 'Personal');
      await personal.getByText(/^Last read .+; busy times stored: 1\.$/).waitFor();
      await personal.getByText('Secret address at 127.0.0.1').waitFor();

      // a second one that fails: its error is shown, the first one stays
      await section.getByLabel('Secret iCal address').fill(`${cal.url}/broken.ics`);
      await section.getByLabel('Name (only you see it)').fill('Work');
      await section.getByRole('button', { name: 'Add calendar' }).click();
      const work = feedItem(section, 'Work');
      await work.getByText(/The calendar server answered with error 500/).waitFor();
      await work.getByText('Nothing has been read from it yet.').waitFor();
      assert.equal(await work.locator('.status-failing').textContent(), 'failing');
      assert.equal(await personal.locator('.status-ok').textContent(), 'working');
      // refreshed now, twice more: the third failure in a row is told to the tutor
      for (let i = 0; i < 2; i++) {
        const answered = tu.page.waitForResponse((r) => r.url().endsWith('/refresh') && r.status() === 200);
        await work.getByRole('button', { name: 'Refresh now' }).click();
        assert.equal((await (await answered).json()).status, 'failing');
      }
      assert.equal(await section.locator('li.feed').count(), 2);

      // an address on the private network of a school that does not allow it is refused
      await withSchool({ feeds_allow_private: false }, async () => {
        await section.getByLabel('Secret iCal address').fill('http://192.168.1.10/cal.ics');
        await section.getByRole('button', { name: 'Add calendar' }).click();
        await section.locator('[data-field="url"] .field-error').filter({ hasText: 'private network' }).waitFor();
      });
      expectRefused(tu, /status of 400/);

      // the notification reached the inbox, and its link leads back here
      await tu.page.goto('/notifications');
      const note = tu.page.locator('#inbox').getByText('Tutorbase cannot read your calendar “Work”');
      await note.waitFor();

      // the slot inside the busy time is gone for a visitor
      const after = await api(S.server.url, `/api/tutors/${emily}/slots?minutes=60&from=${new Date(now + 2 * 86400000).toISOString()}&to=${new Date(now + 9 * 86400000).toISOString()}`);
      assert.ok(!after.slots.some((s) => s.start === slot.start), 'the slot inside the busy time is gone');
      // and nobody but the tutor can read the busy times
      assert.equal((await api(S.server.url, '/api/collections/busy_times/records')).items.length, 0, 'a visitor sees no busy times');

      // the tutor's week shows the block, without the event's title
      await tu.page.goto('/tutor/calendar');
      const zone = /Times are shown in (\S+), your time zone/.exec(await tu.page.locator('.zone-note').textContent())[1];
      const weeks = (mondayNumber(start, zone) - mondayNumber(new Date(), zone)) / 7;
      await tu.page.goto(`/tutor/calendar?week=${weeks}`);
      const block = tu.page.locator('#calendar .event.busy');
      await block.first().waitFor();
      assert.equal(await block.count(), 1);
      assert.match(await block.textContent(), new RegExp(`^${hhmm(start, zone)}–${hhmm(end, zone)}busy \\(from your calendar\\)$`));
      assert.equal(await tu.page.getByText(/Dentist|Secret details/).count(), 0, 'no title or description anywhere');

      // removing a calendar removes its busy times: the slot is back
      await tu.page.goto('/settings');
      for (const name of ['Personal', 'Work']) {
        await feedItem(section, name).getByRole('button', { name: 'Remove' }).click();
        await tu.page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
        await feedItem(section, name).waitFor({ state: 'detached' });
      }
      await section.getByText('No calendars yet.').waitFor();
      const back = await api(S.server.url, `/api/tutors/${emily}/slots?minutes=60&from=${new Date(now + 2 * 86400000).toISOString()}&to=${new Date(now + 9 * 86400000).toISOString()}`);
      assert.ok(back.slots.some((s) => s.start === slot.start), 'the slot is free again');
      clean(tu);
    });
  } finally { await cal.close(); }
});

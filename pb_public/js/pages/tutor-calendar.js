// Tutor: the week's lessons in a calendar, live, with time off and the busy
// times read from the tutor's own calendars (no titles: Tutorbase never keeps them).
import { pb, currentUser } from '../pb.js';
import { h, replace } from '../dom.js';
import { topics } from '../api.js';
import { t, tv } from '../i18n.js';
import { viewerZone, weekStart, weekDays, dayKey, dayLabel, time, longDate, timeRange, parseDate } from '../format.js';
import { pageTitle, loading, errorBox } from '../ui.js';

export default async function calendar(ctx) {
  ctx.setTitle(t('Calendar'));
  const zone = viewerZone();
  let offset = Number(ctx.query.get('week') || 0);
  const grid = h('div', loading());
  const label = h('span', { class: 'week-label' });
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const showCancelled = h('input', { type: 'checkbox', id: 'show-cancelled', on: { change: () => load() } });
  replace(ctx.root, pageTitle(t('Calendar')),
    h('p', { class: 'zone-note' }, t('Times are shown in {zone}, your time zone.', { zone })),
    h('div', { class: 'week-nav', role: 'group', 'aria-label': t('Week') },
      h('button', { type: 'button', class: 'secondary', on: { click: () => { offset -= 1; load(); } } }, '‹ ', t('Previous week')),
      label,
      h('button', { type: 'button', class: 'secondary', on: { click: () => { offset += 1; load(); } } }, t('Next week'), ' ›'),
      h('button', { type: 'button', class: 'linklike', on: { click: () => { offset = 0; load(); } } }, t('This week')),
      h('label', { class: 'check', for: 'show-cancelled' }, showCancelled, t('Show cancelled'))),
    live, grid);
  const me = currentUser().id;
  let loads = 0; // only the latest week asked for is shown, however the answers arrive
  async function load() {
    const seq = ++loads;
    const days = weekDays(weekStart(new Date(), zone, offset), zone);
    label.textContent = t('Week of {date}', { date: longDate(days[0].start, zone) });
    grid.setAttribute('aria-busy', 'true');
    const range = { me, from: days[0].start.toISOString().replace('T', ' '), to: days[6].end.toISOString().replace('T', ' ') };
    let list, busy, away;
    try {
      [list, busy, away] = await Promise.all([
        pb.collection('bookings').getFullList({
          filter: pb.filter(`tutor_user = {:me} && start < {:to} && end > {:from}${showCancelled.checked ? '' : ' && status != "cancelled"'}`, range),
          sort: 'start',
        }),
        // busy times from the tutor's own calendars: instants only, no titles (docs/calendars.md)
        pb.collection('busy_times').getFullList({ filter: pb.filter('tutor_user = {:me} && start < {:to} && end > {:from}', range), sort: 'start', fields: 'id,start,end' }),
        pb.collection('time_off').getFullList({ filter: pb.filter('tutor_user = {:me} && start < {:to} && end > {:from}', range), sort: 'start' }),
      ]);
    } catch (err) {
      if (seq === loads) { replace(grid, errorBox(err)); grid.removeAttribute('aria-busy'); }
      return;
    }
    if (!ctx.isCurrent() || seq !== loads) return;
    const byDay = new Map(days.map((d) => [d.key, []]));
    for (const b of list) { const k = dayKey(b.start, zone); if (byDay.has(k)) byDay.get(k).push({ start: parseDate(b.start), item: lessonItem(b) }); }
    const blocks = joined(busy);
    for (const d of days) { // a busy time shows on every day it covers, cut to that day
      for (const b of blocks) {
        const start = new Date(Math.max(parseDate(b.start), d.start)), end = new Date(Math.min(parseDate(b.end), d.end));
        if (start < end) byDay.get(d.key).push({ start, item: busyItem(b, start, end) });
      }
    }
    const today = dayKey(new Date(), zone);
    replace(grid, h('div', { class: 'week', id: 'calendar' }, days.map((d) => h('section', { class: d.key === today ? 'day today' : 'day', 'aria-labelledby': `cal-${d.key}` },
      h('h2', { id: `cal-${d.key}` }, dayLabel(d.start, zone)),
      awayOn(away, d, zone),
      byDay.get(d.key).length
        ? h('ul', byDay.get(d.key).sort((a, b) => a.start - b.start).map((x) => x.item))
        : (awayOn(away, d, zone) ? null : h('p', { class: 'none' }, t('No lessons')))))));
    grid.removeAttribute('aria-busy');
  }
  // busy times that touch are one block (a long event is stored in pieces of a day or so)
  function joined(busy) {
    const out = [];
    for (const b of busy) {
      const last = out[out.length - 1];
      if (last && parseDate(b.start) <= parseDate(last.end)) { if (parseDate(b.end) > parseDate(last.end)) last.end = b.end; } else out.push({ ...b });
    }
    return out;
  }
  function lessonItem(b) {
    return h('li', h('a', {
      class: `event ${b.status}`, href: `/lessons/${b.id}`, dataset: { id: b.id },
      'aria-label': `${timeRange(b.start, b.end, zone)}, ${b.student_name}, ${tv('status', b.status)}`,
    }, h('strong', `${time(b.start, zone)}–${time(b.end, zone)}`), h('br'), b.student_name, h('br'), h('span', { class: 'small' }, tv('status', b.status))));
  }
  function busyItem(b, start, end) {
    return h('li', h('div', { class: 'event busy', dataset: { busy: b.id }, 'aria-label': `${timeRange(start, end, zone)}, ${t('busy (from your calendar)')}` },
      h('strong', `${time(start, zone)}–${time(end, zone)}`), h('br'), h('span', { class: 'small' }, t('busy (from your calendar)'))));
  }
  await load();
  const unsub = await pb.realtime.subscribe(topics.MY_BOOKINGS, (e) => {
    if (e.action === 'create') live.textContent = t('New booking from {name}.', { name: e.record.student_name });
    load();
  }).catch((e) => { console.warn(e); return null; });
  return () => { if (unsub) unsub(); };
}

/** The time off that falls on day d, as "Away" blocks, or null. */
function awayOn(away, d, zone) {
  const parts = away.map((o) => ({ o, a: Math.max(parseDate(o.start), d.start), b: Math.min(parseDate(o.end), d.end) })).filter((x) => x.a < x.b);
  if (!parts.length) return null;
  return h('ul', { class: 'away-list' }, parts.map(({ o, a, b }) => h('li', { class: 'away' },
    h('strong', a <= d.start.getTime() && b >= d.end.getTime() ? t('Away all day') : t('Away {from}–{to}', { from: time(new Date(a), zone), to: time(new Date(b), zone) })),
    o.reason ? h('span', { class: 'small' }, ` · ${o.reason}`) : null)));
}

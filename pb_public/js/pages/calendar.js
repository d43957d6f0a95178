// Calendars for everyone (/calendar; tutors also at /tutor/calendar): a
// day or week grid with hours, or a month overview, in the viewer's zone,
// showing lessons (each opens its page), time off and, for tutors, their
// availability. Staff see every tutor's lessons or one tutor's calendar.
// Live: a booking change reloads the view.
import { pb, role } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv, locale } from '../i18n.js';
import { viewerZone, weekStart, weekDays, dayKey, dayLabel, time, longDate, timeRange, parts, parseDate, zonedToUtc } from '../format.js';
import { pageTitle, loading, errorBox } from '../ui.js';
import { teaching, topics, guardians } from '../api.js';

const HOUR_PX = 48;
const VIEWS = ['day', 'week', 'month'];

export default async function calendar(ctx) {
  ctx.setTitle(t('Calendar'));
  const zone = viewerZone();
  const staff = role() === 'admin';
  let view = VIEWS.includes(ctx.query.get('view')) ? ctx.query.get('view') : 'week';
  let anchor = new Date();
  let tutor = ctx.query.get('tutor') || '';
  const body = h('div', loading());
  const label = h('h2', { class: 'cal-label', id: 'cal-label', 'aria-live': 'polite' });
  const viewButtons = VIEWS.map((v) => h('button', { type: 'button', class: 'secondary', dataset: { view: v }, on: { click: () => { view = v; load(); } } }, viewLabel(v)));
  const step = (n) => {
    const p = parts(anchor, zone);
    const d = view === 'month' ? new Date(Date.UTC(p.year, p.month - 1 + n, 1)) : new Date(Date.UTC(p.year, p.month - 1, p.day + n * (view === 'day' ? 1 : 7)));
    anchor = zonedToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 12, 0, zone);
    load();
  };
  const tutorPicker = staff ? h('label', { class: 'inline-field' }, t('Tutor'), ' ', h('select', { on: { change: (e) => { tutor = e.target.value; load(); } } }, h('option', { value: '' }, t('All tutors')))) : null;
  replace(ctx.root, pageTitle(t('Calendar')),
    h('p', { class: 'zone-note' }, t('Times are shown in {zone}, your time zone.', { zone })),
    h('div', { class: 'cal-toolbar' },
      h('div', { class: 'cal-views', role: 'group', 'aria-label': t('View') }, viewButtons),
      h('div', { class: 'cal-nav', role: 'group', 'aria-label': t('Move') },
        h('button', { type: 'button', class: 'secondary', on: { click: () => step(-1) } }, '‹ ', t('Previous')),
        h('button', { type: 'button', class: 'secondary', on: { click: () => { anchor = new Date(); load(); } } }, t('Today')),
        h('button', { type: 'button', class: 'secondary', on: { click: () => step(1) } }, t('Next'), ' ›')),
      tutorPicker),
    label, body);
  if (staff) {
    pb.collection('tutors').getFullList({ sort: 'name', fields: 'id,name' }).then((list) => {
      const sel = tutorPicker.querySelector('select');
      for (const x of list) sel.append(h('option', { value: x.id, selected: x.id === tutor }, x.name));
    }).catch((e) => console.warn(e));
  }

  let loads = 0;
  async function load() {
    const seq = ++loads;
    for (const b of viewButtons) b.setAttribute('aria-pressed', String(b.dataset.view === view));
    const days = daysOf(view, anchor, zone);
    label.textContent = view === 'month'
      ? new Intl.DateTimeFormat(locale(), { timeZone: zone, month: 'long', year: 'numeric' }).format(anchor)
      : view === 'day' ? longDate(days[0].start, zone) : t('Week of {date}', { date: longDate(days[0].start, zone) });
    let a;
    try { a = await teaching.agenda(days[0].start, days[days.length - 1].end, tutor); } catch (err) { replace(body, errorBox(err)); return; }
    if (!ctx.isCurrent() || seq !== loads) return; // a later view was asked for meanwhile
    const grid = view === 'month' ? monthGrid(days, a, zone, anchor) : hourGrid(days, a, zone);
    grid.dataset.from = days[0].key;
    grid.dataset.view = view;
    replace(body, grid);
  }
  await load();
  // staff hear of every booking, a guardian of their students', anyone else of their own lessons
  const topic = staff ? topics.STAFF_BOOKINGS : role() === 'guardian' ? guardians.TOPIC : topics.MY_BOOKINGS;
  const unsub = await pb.realtime.subscribe(topic, () => load()).catch((e) => { console.warn(e); return null; });
  return () => { if (unsub) unsub(); };
}

function viewLabel(v) {
  return { day: t('Day'), week: t('Week'), month: t('Month') }[v];
}

/** The local days a view shows: one, a week from Monday, or the six weeks around a month. */
function daysOf(view, anchor, zone) {
  if (view === 'week') return weekDays(weekStart(anchor, zone), zone);
  if (view === 'day') return weekDays(weekStart(anchor, zone), zone).filter((d) => d.key === dayKey(anchor, zone));
  const p = parts(anchor, zone);
  const first = zonedToUtc(p.year, p.month, 1, 12, 0, zone);
  const monday = weekStart(first, zone);
  const out = [];
  for (let w = 0; w < 6; w++) out.push(...weekDays(weekStart(monday, zone, w), zone));
  return out;
}

/** Minutes after local midnight of instant d on day (1440 at the day's end). */
function minutesOf(d, day, zone) {
  if (+d >= +day.end) return 1440;
  const p = parts(d, zone);
  return p.hour * 60 + p.minute;
}

/** The part of [start, end) inside day, as minutes {top, bottom}, or null. */
function clip(start, end, day, zone) {
  const a = new Date(Math.max(+parseDate(start), +day.start));
  const b = new Date(Math.min(+parseDate(end), +day.end));
  if (a >= b) return null;
  return { top: minutesOf(a, day, zone), bottom: Math.max(minutesOf(a, day, zone) + 15, minutesOf(b, day, zone)) };
}

function hourGrid(days, a, zone) {
  let lo = 7 * 60, hi = 21 * 60;
  const placed = days.map((day) => {
    const lessons = a.lessons.map((l) => ({ l, c: clip(l.start, l.end, day, zone) })).filter((x) => x.c);
    const off = a.time_off.map((o) => clip(o.start, o.end, day, zone)).filter(Boolean);
    const busy = (a.busy || []).map((o) => clip(o.start, o.end, day, zone)).filter(Boolean);
    const avail = a.available.map((v) => clip(v.start, v.end, day, zone)).filter(Boolean);
    for (const c of [...lessons.map((x) => x.c), ...avail]) { lo = Math.min(lo, c.top); hi = Math.max(hi, c.bottom); }
    return { day, lessons, off, busy, avail };
  });
  lo = Math.floor(lo / 60) * 60; hi = Math.min(1440, Math.ceil(hi / 60) * 60);
  const px = (m) => `${((m - lo) / 60) * HOUR_PX}px`;
  const span = (c) => ({ top: px(Math.max(lo, c.top)), height: `${((Math.min(hi, c.bottom) - Math.max(lo, c.top)) / 60) * HOUR_PX}px` });
  const today = dayKey(new Date(), zone);
  const hours = [];
  for (let m = lo; m < hi; m += 60) hours.push(h('div', { class: 'cal-hour', style: { top: px(m) } }, time(zonedToUtc(2000, 1, 1, m / 60, 0, 'UTC'), 'UTC')));
  const height = { height: `${((hi - lo) / 60) * HOUR_PX}px` };
  return h('div', { class: `cal-grid cols-${days.length}`, id: 'calendar' },
    h('div', { class: 'cal-hours', 'aria-hidden': 'true' }, h('div', { class: 'cal-head' }), h('div', { class: 'cal-body', style: height }, hours)),
    placed.map(({ day, lessons, off, busy, avail }) => h('section', { class: day.key === today ? 'cal-day today' : 'cal-day', 'aria-labelledby': `day-${day.key}`, dataset: { day: day.key } },
      h('h3', { class: 'cal-head', id: `day-${day.key}` }, dayLabel(day.start, zone)),
      h('div', { class: 'cal-body', style: height },
        avail.map((c) => h('div', { class: 'cal-avail', style: span(c), title: t('Available') }, h('span', { class: 'visually-hidden' }, t('Available')))),
        off.map((c) => h('div', { class: 'cal-off', style: span(c) }, t('Time off'))),
        busy.map((c) => h('div', { class: 'cal-off cal-busy', style: span(c) }, t('busy (from your calendar)'))),
        lessons.length ? h('ul', { class: 'cal-events' }, lessons.map(({ l, c }) => h('li', { style: span(c) }, lessonLink(l, zone)))) : null)),
    ));
}

function lessonLink(l, zone) {
  const who = role() === 'student' ? l.tutor_name : role() === 'tutor' ? l.student_name : `${l.tutor_name} · ${l.student_name}`;
  return h('a', { class: `event ${l.status}`, href: `/lessons/${l.id}`, dataset: { id: l.id, start: l.start },
    'aria-label': `${timeRange(l.start, l.end, zone)}, ${who}, ${tv('status', l.status)}` },
  h('strong', { class: 'event-time' }, `${time(l.start, zone)}–${time(l.end, zone)}`), ' ', h('span', who));
}

function monthGrid(days, a, zone, anchor) {
  const month = parts(anchor, zone).month;
  const today = dayKey(new Date(), zone);
  const weekdays = days.slice(0, 7).map((d) => h('th', { scope: 'col' }, new Intl.DateTimeFormat(locale(), { timeZone: zone, weekday: 'short' }).format(d.start)));
  const rows = [];
  for (let w = 0; w < days.length / 7; w++) {
    rows.push(h('tr', days.slice(w * 7, w * 7 + 7).map((day) => {
      const lessons = a.lessons.filter((l) => clip(l.start, l.end, day, zone));
      const off = a.time_off.some((o) => clip(o.start, o.end, day, zone));
      return h('td', { class: [parts(day.start, zone).month !== month ? 'other-month' : '', day.key === today ? 'today' : ''], dataset: { day: day.key } },
        h('span', { class: 'month-day' }, String(parts(day.start, zone).day)),
        off ? h('span', { class: 'cal-off-tag' }, t('Time off')) : null,
        lessons.length ? h('ul', { class: 'month-events' }, lessons.slice(0, 4).map((l) => h('li', lessonLink(l, zone)))) : null,
        lessons.length > 4 ? h('span', { class: 'small' }, t('{n} more', { n: lessons.length - 4 })) : null);
    })));
  }
  return h('div', { class: 'table-wrap', id: 'calendar' }, h('table', { class: 'cal-month' }, h('thead', h('tr', weekdays)), h('tbody', rows)));
}

// A week view of a tutor's free slots in the viewer's zone. It opens on the
// first week with free time (looked up over the next weeks, as far as the
// slots route answers at once), offers a "First available: …" jump and a
// month picker for longer jumps, and shows past days as past. One column
// per local day, a list in a narrow place (a phone, a dialog).
import { h, replace } from './dom.js';
import { t, locale } from './i18n.js';
import { viewerZone, weekStart, weekDays, dayKey, dayLabel, time, timeRange, longDate, dateTime, parts, zonedToUtc } from './format.js';
import { loading, errorBox } from './ui.js';
import { tutorSlots, SLOTS_SPAN_DAYS } from './api.js';

const DAY_MS = 86400000;
const MONTHS_AHEAD = 6; // the month picker's reach
const LOOKAHEAD = 2; // spans of SLOTS_SPAN_DAYS searched for the first free time

/** The first instant of the month `ahead` months after the one holding now, in zone. */
function monthStart(now, zone, ahead) {
  const p = parts(now, zone);
  const m = new Date(Date.UTC(p.year, p.month - 1 + ahead, 1));
  return zonedToUtc(m.getUTCFullYear(), m.getUTCMonth() + 1, 1, 0, 0, zone);
}

/** Whole weeks from the week holding now to the week holding d, in zone. */
function weeksUntil(d, zone) {
  const a = weekStart(new Date(), zone), b = weekStart(new Date(d), zone);
  return Math.max(0, Math.round((b - a) / (7 * DAY_MS)));
}

/**
 * slotWeek(el, {tutorId, minutes, onPick, zone, label, chosen}) renders into
 * el and returns {refresh, setMinutes, slots}. onPick(slot) is called with
 * {start, end}; chosen (an RFC 3339 start) opens the week holding it and
 * marks its slot.
 */
export function slotWeek(el, { tutorId, minutes = 60, onPick, zone = viewerZone(), label = t('Free times'), chosen = null }) {
  let offset = 0;
  let current = [];
  let seq = 0;
  let first = null; // the first free slot, once looked up
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const weekLabel = h('span', { class: 'week-label' });
  const grid = h('div', { class: 'week-grid' });
  const go = (n) => { offset = Math.max(0, n); refresh(); };
  const prev = h('button', { type: 'button', class: 'secondary', on: { click: () => go(offset - 1) } }, '‹ ', t('Previous week'));
  const next = h('button', { type: 'button', class: 'secondary', on: { click: () => go(offset + 1) } }, t('Next week'), ' ›');
  const firstBox = h('p', { class: 'first-free' });
  const monthSelect = h('select', { class: 'month-pick', 'aria-label': t('Jump to a month'), on: { change: (e) => jumpToMonth(Number(e.target.value)) } });
  replace(el, h('div', { class: 'week-view' },
    h('p', { class: 'zone-note' }, t('Times are shown in {zone}, your time zone.', { zone })),
    firstBox,
    h('div', { class: 'week-nav', role: 'group', 'aria-label': label }, prev, weekLabel, next, monthSelect),
    status, grid));

  function fillMonths() {
    const now = new Date();
    replace(monthSelect, h('option', { value: '' }, t('Jump to a month')),
      Array.from({ length: MONTHS_AHEAD }, (_, i) => {
        return h('option', { value: i }, longMonth(monthStart(now, zone, i), zone));
      }));
  }

  async function jumpToMonth(ahead) {
    if (!Number.isFinite(ahead) || String(monthSelect.value) === '') return;
    const now = new Date();
    const from = new Date(Math.max(now.getTime(), monthStart(now, zone, ahead).getTime()));
    const to = monthStart(now, zone, ahead + 1);
    const mySeq = ++seq;
    replace(grid, loading(t('Loading free times…')));
    let slots = [];
    try { slots = (await tutorSlots(tutorId, from, to, minutes)).slots || []; } catch (err) { if (mySeq === seq) replace(grid, errorBox(err)); return; }
    if (mySeq !== seq) return;
    monthSelect.value = '';
    go(weeksUntil(slots.length ? slots[0].start : from, zone));
  }

  function showFirst() {
    if (!first) {
      replace(firstBox, t('No free time in the next {n} weeks.', { n: Math.floor(SLOTS_SPAN_DAYS * LOOKAHEAD / 7) }));
      return;
    }
    replace(firstBox, h('button', {
      type: 'button', class: 'linklike first-free-jump',
      on: { click: () => { go(weeksUntil(first.start, zone)); } },
    }, t('First available: {time}', { time: dateTime(first.start, zone) })));
  }

  /** Looks for the first free slot from now on; returns the slots of that span. */
  async function findFirst() {
    let from = new Date();
    for (let i = 0; i < LOOKAHEAD; i++) {
      const to = new Date(from.getTime() + SLOTS_SPAN_DAYS * DAY_MS);
      const slots = (await tutorSlots(tutorId, from, to, minutes)).slots || [];
      if (slots.length) return slots[0];
      from = to;
    }
    return null;
  }

  async function refresh() {
    const mySeq = ++seq;
    const monday = weekStart(new Date(), zone, offset);
    const days = weekDays(monday, zone);
    prev.disabled = offset <= 0;
    weekLabel.textContent = t('Week of {date}', { date: longDate(monday, zone) });
    replace(grid, loading(t('Loading free times…')));
    let res;
    try {
      res = await tutorSlots(tutorId, days[0].start, days[6].end, minutes);
    } catch (err) {
      if (mySeq === seq) replace(grid, errorBox(err));
      return;
    }
    if (mySeq !== seq) return;
    current = res.slots || [];
    const byDay = new Map(days.map((d) => [d.key, []]));
    for (const s of current) {
      const k = dayKey(s.start, zone);
      if (byDay.has(k)) byDay.get(k).push(s);
    }
    const now = new Date();
    const today = dayKey(now, zone);
    const chosenAt = chosen ? new Date(chosen).getTime() : NaN;
    replace(grid, h('div', { class: 'week' }, days.map((d) => {
      const list = byDay.get(d.key);
      const past = d.end <= now;
      const headingId = `day-${d.key}`;
      return h('section', { class: ['day', d.key === today && 'today', past && 'past'], 'aria-labelledby': headingId },
        h('h3', { id: headingId }, dayLabel(d.start, zone), past ? h('span', { class: 'visually-hidden' }, ` (${t('past')})`) : null),
        list.length
          ? h('ul', list.map((s) => h('li', !onPick ? h('span', { class: 'slot static button' }, time(s.start, zone)) : h('button', {
            type: 'button', class: ['slot', new Date(s.start).getTime() === chosenAt && 'chosen'], dataset: { start: s.start },
            'aria-label': t('Book {time}', { time: timeRange(s.start, s.end, zone) }),
            on: { click: () => onPick && onPick(s) },
          }, time(s.start, zone)))))
          : h('p', { class: 'none' }, past ? t('Past') : t('No free time')));
    })));
    status.textContent = current.length ? t('{n} free times this week', { n: current.length }) : t('No free times this week');
  }

  async function start() {
    const mySeq = ++seq;
    replace(grid, loading(t('Loading free times…')));
    fillMonths();
    try { first = await findFirst(); } catch (err) { console.warn(err); first = null; }
    if (mySeq !== seq) return;
    showFirst();
    offset = chosen ? weeksUntil(chosen, zone) : first ? weeksUntil(first.start, zone) : 0;
    await refresh();
  }

  start();
  return {
    refresh,
    setMinutes(m) { minutes = m; start(); },
    get slots() { return current; },
  };
}

/** "December 2026" in the person's locale. */
function longMonth(d, zone) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, month: 'long', year: 'numeric' }).format(d);
}

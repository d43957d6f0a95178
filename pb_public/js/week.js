// A week view of a tutor's free slots in the viewer's zone: previous/next
// week, one column per local day (a list on phones), one button per slot.
import { pb } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { viewerZone, weekStart, weekDays, dayKey, dayLabel, time, timeRange, longDate } from './format.js';
import { loading, errorBox } from './ui.js';

/**
 * slotWeek(el, {tutorId, minutes, onPick, zone}) renders into el and returns
 * {refresh, setMinutes, slots}. onPick(slot) is called with {start, end}.
 */
export function slotWeek(el, { tutorId, minutes = 60, onPick, zone = viewerZone(), label = t('Free times') }) {
  let offset = 0;
  let current = [];
  let seq = 0;
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const weekLabel = h('span', { class: 'week-label' });
  const grid = h('div', { class: 'week-grid' });
  const prev = h('button', { type: 'button', class: 'secondary', on: { click: () => { offset -= 1; refresh(); } } }, '‹ ', t('Previous week'));
  const next = h('button', { type: 'button', class: 'secondary', on: { click: () => { offset += 1; refresh(); } } }, t('Next week'), ' ›');
  replace(el,
    h('p', { class: 'zone-note' }, t('Times are shown in {zone}, your time zone.', { zone })),
    h('div', { class: 'week-nav', role: 'group', 'aria-label': label }, prev, weekLabel, next),
    status, grid);

  async function refresh() {
    const mySeq = ++seq;
    const monday = weekStart(new Date(), zone, offset);
    const days = weekDays(monday, zone);
    prev.disabled = offset <= 0;
    weekLabel.textContent = t('Week of {date}', { date: longDate(monday, zone) });
    replace(grid, loading(t('Loading free times…')));
    let res;
    try {
      res = await pb.send(`/api/tutors/${encodeURIComponent(tutorId)}/slots`, {
        query: { from: days[0].start.toISOString(), to: days[6].end.toISOString(), minutes },
      });
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
    const today = dayKey(new Date(), zone);
    replace(grid, h('div', { class: 'week' }, days.map((d) => {
      const list = byDay.get(d.key);
      const headingId = `day-${d.key}`;
      return h('section', { class: d.key === today ? 'day today' : 'day', 'aria-labelledby': headingId },
        h('h3', { id: headingId }, dayLabel(d.start, zone)),
        list.length
          ? h('ul', list.map((s) => h('li', !onPick ? h('span', { class: 'slot static button' }, time(s.start, zone)) : h('button', {
            type: 'button', class: 'slot', dataset: { start: s.start },
            'aria-label': t('Book {time}', { time: timeRange(s.start, s.end, zone) }),
            on: { click: () => onPick && onPick(s) },
          }, time(s.start, zone)))))
          : h('p', { class: 'none' }, t('No free time')));
    })));
    status.textContent = current.length ? t('{n} free times this week', { n: current.length }) : t('No free times this week');
  }

  refresh();
  return {
    refresh,
    setMinutes(m) { minutes = m; refresh(); },
    get slots() { return current; },
  };
}

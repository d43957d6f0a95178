// Scheduling suggestions (docs/insight.md, Assistance): on a student's
// lessons page their usual lesson, free for the next weeks, booked all at
// once as a weekly series; on a tutor's requests page their free hours
// that their students like; on staff's tutors page the tutors students
// searched without finding free time. Shows nothing when there is none.
import { suggestions, bookSeries } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { dateTime } from './format.js';
import { toast } from './ui.js';

/** A section that fills itself with the suggestions (hidden while there are none). */
export function suggestionsBox() {
  const box = h('section', { class: 'suggestions', 'aria-labelledby': 'sug-h', hidden: true });
  const load = async () => {
    let res;
    try { res = await suggestions(); } catch (e) { console.warn(e); return; }
    box.hidden = !res.series.length && !res.gaps.length && !res.demand.length;
    replace(box, h('h2', { id: 'sug-h' }, t('Suggestions')), res.series.map((s) => card(s, load)),
      res.gaps.length ? h('ul', { class: 'gaps' }, res.gaps.map((g) => h('li', g.text, ' ', h('span', { class: 'small muted' }, dateTime(g.start))))) : null,
      res.gaps.length ? h('p', { class: 'small' }, h('a', { href: '/tutor/availability' }, t('Your availability'))) : null,
      res.demand.length ? [h('h3', t('Unmet demand')), h('ul', { class: 'demand' }, res.demand.map((d) => h('li', h('a', { href: `/tutors/${encodeURIComponent(d.tutor)}` }, d.name), ': ', d.text)))] : null);
  };
  load();
  return box;
}

function card(s, reload) {
  const btn = h('button', { type: 'button' }, t('Book them all'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      await bookSeries({ tutor: s.tutor, start: s.start, end: s.end, weeks: s.weeks, subject: s.subject || undefined });
      toast(t('{n} lessons booked.', { n: s.weeks }));
      reload();
    } catch (e) { toast(e.message, { error: true }); btn.disabled = false; }
  });
  return h('div', { class: 'card suggestion' },
    h('p', { class: 'm0' }, s.text),
    h('p', { class: 'small muted' }, t('From {first} to {last}.', { first: dateTime(s.starts[0]), last: dateTime(s.starts[s.starts.length - 1]) })),
    h('div', { class: 'actions m0' }, btn));
}

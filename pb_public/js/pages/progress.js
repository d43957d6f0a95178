// A student's progress per subject: their ratings over time as a chart,
// lessons taken and homework done on time. The student's own page
// (/progress) and their tutors' and staff's view (/students/:id/progress).
// Printable for a parents' meeting (the print stylesheet in app.css).
import { pb, currentUser } from '../pb.js';
import { h, s, replace } from '../dom.js';
import { t, locale } from '../i18n.js';
import { longDate, viewerZone, dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox } from '../ui.js';
import { teaching } from '../api.js';

export default async function progress(ctx) {
  const id = ctx.params.id || currentUser().id;
  ctx.setTitle(t('Progress'));
  const box = h('div', loading());
  replace(ctx.root, box);
  let p, reports;
  try {
    [p, reports] = await Promise.all([teaching.progress(id),
      pb.collection('lesson_reports').getList(1, 50, { filter: pb.filter('student = {:id}', { id }), sort: '-lesson_start', expand: 'tutor' })]);
  } catch (err) {
    replace(box, pageTitle(t('Progress')), err.status === 404 ? h('p', t('No progress to show for this student.')) : errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const title = ctx.params.id ? t('Progress of {name}', { name: p.name }) : t('My progress');
  ctx.setTitle(title);
  replace(box, pageTitle(title, h('button', { type: 'button', class: 'secondary no-print', on: { click: () => window.print() } }, t('Print'))),
    h('p', { class: 'muted' }, t('As of {date}', { date: longDate(new Date(), viewerZone()) })),
    p.subjects.length ? p.subjects.map(subjectCard) : empty(t('No lessons or reports yet.')),
    reports.items.length ? timeline(reports.items) : null);
  // printed with every chart's numbers shown
  const openAll = () => { for (const d of box.querySelectorAll('details')) d.open = true; };
  window.addEventListener('beforeprint', openAll);
  return () => window.removeEventListener('beforeprint', openAll);
}

function subjectCard(sp) {
  const name = sp.name || t('Lessons without a subject');
  const hw = sp.homework;
  return h('section', { class: 'card progress-subject', dataset: { subject: sp.subject } },
    h('h2', name),
    h('dl', { class: 'kv' },
      h('dt', t('Lessons taken')), h('dd', { class: 'lessons-taken' }, String(sp.lessons)),
      h('dt', t('Homework done on time')), h('dd', { class: 'homework-on-time' }, hw.set ? t('{n} of {total}', { n: hw.on_time, total: hw.set }) : t('No homework yet'))),
    sp.ratings.length ? ratingChart(name, sp.ratings) : null);
}

/** The lesson reports, newest first, each linking to its lesson. */
function timeline(items) {
  return h('section', { class: 'timeline', 'aria-labelledby': 'timeline-h' }, h('h2', { id: 'timeline-h' }, t('Lesson reports')),
    h('ol', { class: 'plain' }, items.map((r) => h('li', { class: 'card' },
      h('h3', h('a', { href: `/lessons/${r.booking}` }, dateTime(r.lesson_start)), r.expand && r.expand.tutor ? ` · ${r.expand.tutor.name}` : ''),
      r.topics ? h('p', { class: 'prewrap' }, r.topics) : null,
      r.comment ? h('p', { class: 'prewrap muted' }, r.comment) : null))));
}

/** Ratings (1-5) over time as an SVG line, with its numbers in a table. */
function ratingChart(name, points) {
  const W = 640, H = 220, left = 40, right = 16, top = 14, bottom = 40;
  const zone = viewerZone();
  const x = (i) => left + (points.length === 1 ? (W - left - right) / 2 : (i * (W - left - right)) / (points.length - 1));
  const y = (v) => top + ((5 - v) * (H - top - bottom)) / 4;
  const label = `${t('Progress ratings')}: ${name}`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'rating-chart' });
  const grid = s('g', { class: 'grid' });
  for (let v = 1; v <= 5; v++) grid.append(s('line', { x1: left, x2: W - right, y1: y(v), y2: y(v) }), s('text', { x: left - 8, y: y(v) + 4, 'text-anchor': 'end', text: String(v) }));
  svg.append(grid);
  if (points.length > 1) svg.append(s('polyline', { class: 'line', fill: 'none', points: points.map((pt, i) => `${x(i).toFixed(1)},${y(pt.rating).toFixed(1)}`).join(' ') }));
  points.forEach((pt, i) => {
    const c = s('circle', { class: 'point', cx: x(i).toFixed(1), cy: y(pt.rating).toFixed(1), r: 5, 'data-rating': pt.rating });
    c.append(s('title', { text: `${longDate(pt.date, zone)}: ${pt.rating}/5` }));
    svg.append(c);
    if (points.length <= 12 || i % Math.ceil(points.length / 12) === 0) svg.append(s('text', { x: x(i), y: H - bottom + 18, 'text-anchor': 'middle', text: shortDate(pt.date, zone) }));
  });
  return h('figure', { class: 'chart' }, h('figcaption', h('strong', t('Progress ratings over time'))), svg,
    h('details', { class: 'print-open' }, h('summary', t('Show the numbers')),
      h('div', { class: 'table-wrap' }, h('table',
        h('thead', h('tr', h('th', { scope: 'col' }, t('Lesson')), h('th', { scope: 'col', class: 'num' }, t('Rating')))),
        h('tbody', points.map((pt) => h('tr', h('th', { scope: 'row' }, longDate(pt.date, zone)), h('td', { class: 'num' }, t('{n} of 5', { n: pt.rating })))))))));
}

function shortDate(d, zone) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, day: 'numeric', month: 'short' }).format(new Date(d));
}

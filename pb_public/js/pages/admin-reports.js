// Staff: the school's analytics (docs/insight.md) for one date range, and
// optionally one tutor and one subject: each report a chart with its
// numbers in a table, and its CSV and PDF downloads.
import { pb, download, school, inTurns } from '../pb.js';
import { reports } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { money, isoDate } from '../format.js';
import { pageTitle, loading, errorBox, toast, empty } from '../ui.js';
import { field, errorSummary, showErrors, clearErrors } from '../forms.js';
import { barChart } from '../charts.js';

const week = (r) => r.week;
const byName = (r) => r.name || '—';
const pct = (v) => (v == null ? '—' : `${Math.round(v * 1000) / 10}%`);
const num = (v) => (v == null ? '—' : String(v));

export default async function reportsPage(ctx) {
  ctx.setTitle(t('Reports'));
  const q = ctx.query;
  const today = new Date();
  const range = {
    from: q.get('from') || isoDate(new Date(today.getTime() - 84 * 86400000)),
    to: q.get('to') || isoDate(new Date(today.getTime() + 28 * 86400000)),
  };
  const filters = { tutor: q.get('tutor') || '', subject: q.get('subject') || '' };
  const [sc, tutors, subjects] = await Promise.all([
    school().catch(() => ({ timezone: 'Europe/Rome' })),
    pb.collection('tutors').getFullList({ filter: 'verified = true', expand: 'user', requestKey: null }).catch(() => []),
    pb.collection('subjects').getFullList({ sort: 'name', requestKey: null }).catch(() => []),
  ]);
  if (!ctx.isCurrent()) return;
  const choose = (name, label, all, options, value) => h('div', { class: 'field' }, h('label', { for: `rf-${name}` }, label),
    h('select', { id: `rf-${name}`, name }, h('option', { value: '' }, all),
      options.map((o) => h('option', { value: o.id, selected: o.id === value }, o.name))));
  const out = h('div', loading());
  const form = h('form', { class: 'filters-inline', novalidate: true }, errorSummary(),
    field({ name: 'from', label: t('From'), type: 'date', value: range.from, required: true }),
    field({ name: 'to', label: t('To (not included)'), type: 'date', value: range.to, required: true }),
    choose('tutor', t('Tutor'), t('All tutors'), tutors.map((x) => ({ id: x.id, name: x.expand?.user?.name || x.id })).sort((a, b) => a.name.localeCompare(b.name)), filters.tutor),
    choose('subject', t('Subject'), t('All subjects'), subjects, filters.subject),
    h('div', { class: 'actions m0' }, h('button', { type: 'submit' }, t('Show'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams({ from: form.elements.from.value, to: form.elements.to.value });
    for (const k of ['tutor', 'subject']) if (form.elements[k].value) p.set(k, form.elements[k].value);
    ctx.navigate(`/admin/reports?${p}`);
  });
  replace(ctx.root, pageTitle(t('Reports'), h('div', { class: 'head-links' }, h('a', { href: '/admin/questions' }, t('Unanswered questions')), h('a', { href: '/admin/sequences' }, t('Follow-up messages')), h('a', { href: '/admin/at-risk' }, t('Students at risk')))),
    h('p', { class: 'muted' }, t("Weeks run Monday to Sunday and months are calendar months, in the school's time zone ({zone}).", { zone: sc.timezone })), form, out);

  const query = { ...range, ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) };
  const files = (name, label, extra = {}) => {
    const get = (format, text) => h('button', { type: 'button', class: 'secondary', 'aria-label': `${text}: ${label}`, on: { click: async () => {
      try { await download(reports.file(name, { ...query, ...extra }, format), `${name}-${range.from}-${range.to}.${format}`); } catch (e) { toast(t('The download failed.'), { error: true }); }
    } } }, text);
    return h('div', { class: 'actions m0' }, get('csv', t('Download CSV')), get('pdf', t('Download PDF')));
  };
  const section = (id, title, name, body, extra) => h('section', { 'aria-labelledby': id },
    h('div', { class: 'page-head' }, h('h2', { id }, title), files(name, title, extra)), body);
  try {
    const get = (name, extra = {}) => reports.get(name, { ...query, ...extra });
    const withFilters = ['conversion', 'utilisation', 'retention', 'tutors', 'students', 'bookings', 'cancellations'];
    const [conversion, utilisation, retention, tutorsR, students, bookings, cancels, revenue, bySubject, notes] = await inTurns([
      ...withFilters.map((n) => () => get(n)), () => get('revenue'), () => get('revenue', { by: 'subject' }), () => reports.get('notifications', range)]);
    if (!ctx.isCurrent()) return;
    clearErrors(form);
    replace(out,
      section('r-conv', t('Conversion'), 'conversion', conversionChart(conversion.rows)),
      section('r-util', t('Tutor utilisation'), 'utilisation', utilisationChart(utilisation.rows)),
      section('r-ret', t('Retention by first-lesson month'), 'retention', retentionChart(retention.rows)),
      section('r-tut', t('Tutor performance'), 'tutors', tutorsChart(tutorsR.rows)),
      section('r-stu', t('Student progress'), 'students', studentsTable(students.rows)),
      section('rb-h', t('Bookings'), 'bookings', bookingsChart(bookings.rows)),
      section('rr-h', t('Revenue'), 'revenue', revenueCharts(revenue.rows, bySubject.rows, sc)),
      section('rc-h', t('Cancellations'), 'cancellations', cancelsChart(cancels.rows)),
      h('section', { 'aria-labelledby': 'rn-h' }, h('div', { class: 'page-head' }, h('h2', { id: 'rn-h' }, t('Notification delivery')),
        files('notifications', t('Notification delivery'))), notesChart(notes.rows)));
  } catch (err) {
    if (err.status === 400) { showErrors(form, err); replace(out); } else replace(out, errorBox(err));
  }
}

function conversionChart(rows) {
  const label = { visits: t('Page visits'), sign_ups: t('Sign-ups'), first_booking: t('First lesson booked'), second_month: t('Lessons in a second month') };
  return [barChart({ title: t('From visit to a second month'), rows, x: (r) => label[r.stage], xLabel: t('Stage'), series: [{ key: 'people', label: t('people') }] }),
    h('p', { class: 'small muted' }, rows.slice(1).map((r) => `${label[r.stage]}: ${pct(r.of_previous)} ${t('of the step before')}`).join(' · '))];
}

function utilisationChart(rows) {
  if (!rows.length) return empty(t('No data.'));
  const per = new Map();
  for (const r of rows) { const x = per.get(r.tutor) || { name: r.name, available: 0, booked: 0 }; x.available += r.available_hours; x.booked += r.booked_hours; per.set(r.tutor, x); }
  const list = [...per.values()].map((x) => ({ ...x, available: Math.round(x.available * 100) / 100, booked: Math.round(x.booked * 100) / 100 }));
  return [barChart({ title: t('Hours booked and available per tutor'), rows: list, x: byName, xLabel: t('Tutor'), series: [
    { key: 'booked', label: t('booked hours') }, { key: 'available', label: t('available hours') }] }),
  h('p', { class: 'small muted' }, list.map((x) => `${x.name}: ${pct(x.available ? x.booked / x.available : null)}`).join(' · '))];
}

function retentionChart(rows) {
  if (!rows.length) return empty(t('No data.'));
  const months = [1, 2, 3, 4, 5, 6].map((i) => ({ key: `month_${i}`, label: t('month {n}', { n: i }) }));
  return barChart({ title: t('Students still taking lessons, by month after the first'), rows, x: (r) => r.cohort, xLabel: t('First-lesson month'),
    series: [{ key: 'students', label: t('students') }, ...months.slice(0, 3)] });
}

function tutorsChart(rows) {
  if (!rows.length) return empty(t('No data.'));
  return [barChart({ title: t('Lessons and cancellations per tutor'), rows, x: byName, xLabel: t('Tutor'), stacked: true, series: [
    { key: 'lessons', label: t('completed') }, { key: 'no_shows', label: t('no-show') }, { key: 'cancelled_by_student', label: t('by the student') },
    { key: 'cancelled_by_tutor', label: t('by the tutor') }, { key: 'cancelled_by_school', label: t('by the school') }] }),
  table([t('Tutor'), t('Reviews'), t('Rating'), t('Reports on time'), t('Reports late'), t('Reports missing')],
    rows.map((r) => [r.name, r.reviews, num(r.rating), r.reports_on_time, r.reports_late, r.reports_missing]))];
}

function studentsTable(rows) {
  if (!rows.length) return empty(t('No data.'));
  return table([t('Student'), t('Lessons'), t('Reports'), t('First rating'), t('Last rating'), t('Change'), t('Homework set'), t('Homework done')],
    rows.map((r) => [r.name, r.lessons, r.reports, num(r.first_rating), num(r.last_rating), num(r.change), r.homework_set, r.homework_done]));
}

function bookingsChart(rows) {
  if (!rows.length) return empty(t('No data.'));
  return [barChart({ title: t('Lessons by week'), rows: rows.map((r) => ({ ...r, scheduled: Math.max(0, r.total - r.completed - r.no_show - r.cancelled) })), x: week, stacked: true, series: [
    { key: 'completed', label: t('completed') }, { key: 'no_show', label: t('no-show') }, { key: 'cancelled', label: t('cancelled') }, { key: 'scheduled', label: t('pending or confirmed') }] }),
  h('p', { class: 'small muted' }, t('Total {total} lessons, {late} cancelled late.', { total: rows.reduce((a, r) => a + r.total, 0), late: rows.reduce((a, r) => a + r.late_cancelled, 0) }))];
}

function revenueCharts(rows, bySubject, sc) {
  const currencies = [...new Set(rows.map((r) => r.currency).filter(Boolean))];
  const cur = currencies[0] || sc.currency || 'EUR';
  const byWeek = new Map();
  for (const r of rows) if (!r.currency || r.currency === cur) { const w = byWeek.get(r.week) || { week: r.week, start: r.start, paid: 0, refunded: 0, net: 0 }; w.paid += r.paid; w.refunded += r.refunded; w.net += r.net; byWeek.set(r.week, w); }
  const rev = [...byWeek.values()];
  const fmt = (v) => money(v, cur);
  const subjects = bySubject.filter((r) => r.currency === cur);
  return [currencies.length > 1 ? h('p', { class: 'notice warning' }, t('Payments in several currencies; the chart shows {currency}; the CSV has all.', { currency: cur })) : null,
    rev.length ? barChart({ title: t('Money by week ({currency})', { currency: cur }), rows: rev, x: week, format: fmt, minStep: 100, series: [
      { key: 'paid', label: t('paid') }, { key: 'refunded', label: t('refunded') }, { key: 'net', label: t('net') }] }) : empty(t('No data.')),
    subjects.length ? barChart({ title: t('Money by subject ({currency})', { currency: cur }), rows: subjects, x: byName, xLabel: t('Subject'), format: fmt, minStep: 100, series: [
      { key: 'paid', label: t('paid') }, { key: 'refunded', label: t('refunded') }, { key: 'net', label: t('net') }] }) : null];
}

function cancelsChart(rows) {
  if (!rows.length) return empty(t('No data.'));
  return barChart({ title: t('Cancellations by week and by whom'), rows, x: week, stacked: true, series: [
    { key: 'by_student', label: t('by the student, in time') }, { key: 'by_student_late', label: t('by the student, late') }, { key: 'by_tutor', label: t('by the tutor') },
    { key: 'by_staff', label: t('by the school') }, { key: 'expired', label: t('expired unconfirmed') }] });
}

function notesChart(rows) {
  return [barChart({ title: t('Messages by channel'), rows, x: (r) => r.channel, xLabel: t('Channel'), series: [
    { key: 'sent', label: t('sent') }, { key: 'failed', label: t('failed') }, { key: 'queued', label: t('queued') }] }),
  h('p', { class: 'small muted' }, rows.filter((r) => r.delivery_rate).map((r) => `${r.channel}: ${pct(Number(r.delivery_rate))} ${t('delivered')}`).join(' · '))];
}

function table(head, rows) {
  return h('div', { class: 'table-wrap' }, h('table',
    h('thead', h('tr', head.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
    h('tbody', rows.map((r) => h('tr', h('th', { scope: 'row' }, r[0]), r.slice(1).map((c) => h('td', { class: 'num' }, String(c))))))));
}

// Admin: bookings, revenue and cancellations by ISO week, as charts and
// tables, with CSV downloads.
import { pb, download, school } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { money, isoDate } from '../format.js';
import { pageTitle, loading, errorBox, toast, empty } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { barChart } from '../charts.js';

const label = (r) => r.week;

export default async function reports(ctx) {
  ctx.setTitle(t('Reports'));
  const q = ctx.query;
  const today = new Date();
  const from = q.get('from') || isoDate(new Date(today.getTime() - 84 * 86400000));
  const to = q.get('to') || isoDate(new Date(today.getTime() + 28 * 86400000));
  const out = h('div', loading());
  const form = h('form', { class: 'filters-inline', novalidate: true }, errorSummary(),
    field({ name: 'from', label: t('From'), type: 'date', value: from, required: true }),
    field({ name: 'to', label: t('To (not included)'), type: 'date', value: to, required: true }),
    h('div', { class: 'actions m0' }, h('button', { type: 'submit' }, t('Show'))));
  form.addEventListener('submit', (e) => { e.preventDefault(); ctx.navigate(`/admin/reports?from=${form.elements.from.value}&to=${form.elements.to.value}`); });
  const sc = await school().catch(() => ({ timezone: 'Europe/Rome' }));
  replace(ctx.root, pageTitle(t('Reports')),
    h('p', { class: 'muted' }, t("Weeks run Monday to Sunday in the school's time zone ({zone}).", { zone: sc.timezone })), form, out);
  const csv = (name) => h('button', { type: 'button', class: 'secondary', on: { click: async () => {
    try { await download(`/api/reports/${name}?from=${from}&to=${to}&format=csv`, `${name}-${from}-${to}.csv`); } catch (e) { toast(t('The download failed.'), { error: true }); }
  } } }, t('Download CSV'));
  try {
    const get = (name) => pb.send(`/api/reports/${name}`, { query: { from, to } });
    const [bookings, revenue, cancels] = await Promise.all([get('bookings'), get('revenue'), get('cancellations')]);
    if (!ctx.isCurrent()) return;
    clearErrors(form);
    const currencies = [...new Set(revenue.rows.map((r) => r.currency).filter(Boolean))];
    const cur = currencies[0] || sc.currency || 'EUR';
    const byWeek = new Map();
    for (const r of revenue.rows) if (!r.currency || r.currency === cur) { const w = byWeek.get(r.week) || { week: r.week, start: r.start, paid: 0, refunded: 0, net: 0 }; w.paid += r.paid; w.refunded += r.refunded; w.net += r.net; byWeek.set(r.week, w); }
    const rev = [...byWeek.values()];
    const fmtMoney = (v) => money(v, cur);
    replace(out,
      h('section', { 'aria-labelledby': 'rb-h' }, h('div', { class: 'page-head' }, h('h2', { id: 'rb-h' }, t('Bookings')), csv('bookings')),
        bookings.rows.length ? barChart({ title: t('Lessons by week'), rows: bookings.rows.map((r) => ({ ...r, scheduled: Math.max(0, r.total - r.completed - r.no_show - r.cancelled) })), x: label, stacked: true, series: [
          { key: 'completed', label: t('completed') }, { key: 'no_show', label: t('no-show') }, { key: 'cancelled', label: t('cancelled') }, { key: 'scheduled', label: t('pending or confirmed') }] }) : empty(t('No data.')),
        bookings.rows.length ? h('p', { class: 'small muted' }, t('Total {total} lessons, {late} cancelled late.', { total: bookings.rows.reduce((a, r) => a + r.total, 0), late: bookings.rows.reduce((a, r) => a + r.late_cancelled, 0) })) : null),
      h('section', { 'aria-labelledby': 'rr-h' }, h('div', { class: 'page-head' }, h('h2', { id: 'rr-h' }, t('Revenue')), csv('revenue')),
        currencies.length > 1 ? h('p', { class: 'notice warning' }, t('Payments in several currencies; the chart shows {currency}; the CSV has all.', { currency: cur })) : null,
        rev.length ? barChart({ title: t('Money by week ({currency})', { currency: cur }), rows: rev, x: label, format: fmtMoney, minStep: 100, series: [
          { key: 'paid', label: t('paid') }, { key: 'refunded', label: t('refunded') }, { key: 'net', label: t('net') }] }) : empty(t('No data.'))),
      h('section', { 'aria-labelledby': 'rc-h' }, h('div', { class: 'page-head' }, h('h2', { id: 'rc-h' }, t('Cancellations')), csv('cancellations')),
        cancels.rows.length ? barChart({ title: t('Cancellations by week and by whom'), rows: cancels.rows, x: label, stacked: true, series: [
          { key: 'by_student', label: t('by the student, in time') }, { key: 'by_student_late', label: t('by the student, late') }, { key: 'by_tutor', label: t('by the tutor') },
          { key: 'by_staff', label: t('by the school') }, { key: 'expired', label: t('expired unconfirmed') }] }) : empty(t('No data.'))));
  } catch (err) {
    if (err.status === 400) { showErrors(form, err); replace(out); } else replace(out, errorBox(err));
  }
}

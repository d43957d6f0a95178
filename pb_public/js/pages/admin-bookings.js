// Admin: every booking, with filters kept in the URL.
import { pb, subjectNames } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { viewerZone, timeRange, money, fromLocalInput } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, table, openDialog, toast } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { lessonActions } from '../lesson-actions.js';

export function markPaidDialog(kind, id, label, onDone) {
  openDialog(t('Record a payment'), (body, close) => {
    const form = h('form', { novalidate: true }, errorSummary(), h('p', label),
      field({ name: 'method', label: t('Method'), type: 'select', value: 'transfer', options: [['transfer', t('bank transfer')], ['cash', t('cash')], ['other', t('other')]] }),
      field({ name: 'reference', label: t('Reference'), maxlength: 200, hint: t('e.g. the bank transfer reference') }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Mark as paid')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    body.append(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          await pb.send(`/api/${kind}/${id}/mark-paid`, { method: 'POST', body: { method: form.elements.method.value, reference: form.elements.reference.value } });
          toast(t('Payment recorded; the invoice is issued.'));
          close(); onDone();
        } catch (err) { showErrors(form, err); }
      });
    });
  });
}

export default async function adminBookings(ctx) {
  ctx.setTitle(t('All bookings'));
  const q = ctx.query;
  const zone = viewerZone();
  const names = await subjectNames().catch(() => new Map());
  const tutors = await pb.collection('tutors').getFullList({ sort: 'name', fields: 'id,name' }).catch(() => []);
  const out = h('div', loading());
  const form = h('form', { class: 'filters-inline', role: 'search', 'aria-label': t('Filter bookings') },
    field({ name: 'status', label: t('Status'), type: 'select', value: q.get('status') || '', options: [['', t('Any')], ...['pending', 'confirmed', 'completed', 'cancelled', 'no_show'].map((s) => [s, tv('status', s)])] }),
    field({ name: 'payment', label: t('Payment'), type: 'select', value: q.get('payment') || '', options: [['', t('Any')], ...['unpaid', 'paid', 'credit', 'refunded', 'partially_refunded', 'free'].map((s) => [s, tv('status', s)])] }),
    field({ name: 'tutor', label: t('Tutor'), type: 'select', value: q.get('tutor') || '', options: [['', t('Any')], ...tutors.map((x) => [x.id, x.name])] }),
    field({ name: 'student', label: t('Student name'), value: q.get('student') || '' }),
    field({ name: 'from', label: t('From'), type: 'date', value: q.get('from') || '' }),
    field({ name: 'to', label: t('Until'), type: 'date', value: q.get('to') || '' }),
    h('div', { class: 'actions m0' }, h('button', { type: 'submit' }, t('Filter'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of ['status', 'payment', 'tutor', 'student', 'from', 'to']) if (form.elements[k].value) p.set(k, form.elements[k].value);
    ctx.navigate(`/admin/bookings${p.toString() ? `?${p}` : ''}`);
  });
  replace(ctx.root, pageTitle(t('All bookings'), h('a', { href: '/calendar' }, t('Calendar'))), form, out);
  const page = Number(q.get('page') || 1);
  async function load() {
    const parts = []; const params = {};
    if (q.get('status')) { parts.push('status = {:status}'); params.status = q.get('status'); }
    if (q.get('payment')) { parts.push('payment_status = {:payment}'); params.payment = q.get('payment'); }
    if (q.get('tutor')) { parts.push('tutor = {:tutor}'); params.tutor = q.get('tutor'); }
    if (q.get('student')) { parts.push('student_name ~ {:student}'); params.student = q.get('student'); }
    if (q.get('from')) { parts.push('start >= {:from}'); params.from = fromLocalInput(`${q.get('from')}T00:00`, zone).toISOString().replace('T', ' '); }
    if (q.get('to')) { parts.push('start < {:to}'); params.to = fromLocalInput(`${q.get('to')}T00:00`, zone).toISOString().replace('T', ' '); }
    try {
      const res = await pb.collection('bookings').getList(page, 50, { filter: parts.length ? pb.filter(parts.join(' && '), params) : '', sort: '-start' });
      if (!ctx.isCurrent()) return;
      replace(out, res.items.length ? [
        h('p', { class: 'muted', role: 'status' }, t('{n} bookings', { n: res.totalItems })),
        table([t('When'), t('Tutor'), t('Student'), t('Status'), { text: t('Price'), class: 'num' }, t('Actions')], res.items.map((b) => h('tr', { dataset: { id: b.id } },
          h('td', timeRange(b.start, b.end, zone), b.subject ? h('div', { class: 'small muted' }, names.get(b.subject) || '') : null),
          h('td', b.tutor_name), h('td', b.student_name),
          h('td', pill('status', b.status), ' ', b.payment_status ? pill('status', b.payment_status) : null),
          h('td', { class: 'num' }, money(b.price, b.currency)),
          h('td', lessonActions(b, { onChanged: load }),
            b.payment_status === 'unpaid' && b.status !== 'cancelled' ? h('button', { type: 'button', class: 'linklike', on: { click: () => markPaidDialog('bookings', b.id, `${b.student_name} · ${timeRange(b.start, b.end, zone)} · ${money(b.price, b.currency)}`, load) } }, t('Record payment')) : null)))),
        res.totalPages > 1 ? h('nav', { class: 'pager', 'aria-label': t('Pages') },
          h('button', { type: 'button', class: 'secondary', disabled: page <= 1, on: { click: () => { const n = new URLSearchParams(q); n.set('page', page - 1); ctx.navigate(`/admin/bookings?${n}`); } } }, t('Previous')),
          h('span', t('Page {page} of {pages}', { page, pages: res.totalPages })),
          h('button', { type: 'button', class: 'secondary', disabled: page >= res.totalPages, on: { click: () => { const n = new URLSearchParams(q); n.set('page', page + 1); ctx.navigate(`/admin/bookings?${n}`); } } }, t('Next'))) : null,
      ] : empty(t('No bookings match.')));
    } catch (err) { replace(out, errorBox(err)); }
  }
  await load();
  // every booking change, live: PocketBase's bookings/* topic follows the
  // list rule, which names only a lesson's student and tutor, so staff
  // have a topic of their own (a burst of changes reloads once)
  let soon = null;
  const unsub = await pb.realtime.subscribe('staff/bookings', () => {
    clearTimeout(soon);
    soon = setTimeout(() => { if (ctx.isCurrent()) load(); }, 300);
  }).catch((e) => { console.warn(e); return null; });
  return () => { clearTimeout(soon); if (unsub) unsub(); };
}

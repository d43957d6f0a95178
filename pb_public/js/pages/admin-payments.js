// Admin: manual payments (pending purchases, unpaid lessons), refunds,
// and tutor payouts.
import { pb, download } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { viewerZone, timeRange, money, dateTime, longDate, toCents, fromCents, lineText } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, table, openDialog, toast, confirmDialog } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { markPaidDialog } from './admin-bookings.js';
import { einvoices } from '../api.js';
import { subscriptionsSection } from '../subscriptions-staff.js';

/** The month's e-invoices (FatturaPA) for the accountant, as one zip. */
function einvoiceSection(zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit' })
    .formatToParts(new Date()).map((x) => [x.type, x.value]));
  const form = h('form', { novalidate: true, }, errorSummary(),
    field({ name: 'month', type: 'month', label: t('Month'), value: `${p.year}-${p.month}`, required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t("Download the month's e-invoices (FatturaPA zip)"))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try { await einvoices.downloadMonth(form.elements.month.value); } catch (err) { toast(err.message || t('The download failed.'), { error: true }); }
    });
  });
  return h('section', { 'aria-labelledby': 'fe-h' }, h('h2', { id: 'fe-h' }, t('E-invoices (FatturaPA)')),
    h('p', { class: 'hint' }, t("One XML file per invoice and credit note issued in the month, for the school's accountant or intermediary to send to the SdI.")), form);
}

function refundDialog(p, onDone) {
  openDialog(t('Refund a payment'), (body, close) => {
    const left = (p.amount || 0) - (p.refunded_amount || 0);
    const form = h('form', { novalidate: true }, errorSummary(),
      h('p', `${(p.expand && p.expand.user && p.expand.user.name) || ''} · ${p.description || ''} · ${money(p.amount, p.currency)}`),
      h('p', { class: 'notice' }, p.purchase
        ? t("Leave the amount empty to refund the package's unused credits at the price paid per lesson (the credits are taken back).")
        : t('Leave the amount empty to refund what is left: {amount}.', { amount: money(left, p.currency) })),
      field({ name: 'amount', label: t('Amount ({currency}, optional)', { currency: p.currency }), inputmode: 'decimal', hint: t('At most {amount}.', { amount: money(left, p.currency) }) }),
      field({ name: 'reason', label: t('Reason'), maxlength: 500 }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('Refund')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    body.append(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        const data = { reason: form.elements.reason.value };
        if (form.elements.amount.value.trim()) {
          const c = toCents(form.elements.amount.value, p.currency);
          data.amount = Number.isFinite(c) ? c : form.elements.amount.value;
        }
        try {
          const r = await pb.send(`/api/payments/${p.id}/refund`, { method: 'POST', body: data });
          toast(t('Refund of {amount} recorded ({status}).', { amount: money(r.amount, r.currency), status: tv('status', r.status) }));
          close(); onDone();
        } catch (err) { showErrors(form, err); }
      });
    });
  });
}

export default async function adminPayments(ctx) {
  ctx.setTitle(t('Payments'));
  const zone = viewerZone();
  const pendingEl = h('div', loading());
  const unpaidEl = h('div', loading());
  const paidEl = h('div', loading());
  const payoutsEl = h('div', loading());
  replace(ctx.root, pageTitle(t('Payments'), h('div', { class: 'head-links' }, h('a', { href: '/admin/coupons' }, t('Coupons')), h('a', { href: '/admin/plans' }, t('Plans')))),
    h('section', { 'aria-labelledby': 'pp-h' }, h('h2', { id: 'pp-h' }, t('Packages waiting for payment')), pendingEl),
    h('section', { 'aria-labelledby': 'ul-h' }, h('h2', { id: 'ul-h' }, t('Unpaid lessons')), unpaidEl),
    subscriptionsSection(),
    h('section', { 'aria-labelledby': 'rp-h' }, h('h2', { id: 'rp-h' }, t('Recent payments and refunds')), paidEl),
    h('section', { 'aria-labelledby': 'po-h' }, h('div', { class: 'page-head' }, h('h2', { id: 'po-h' }, t('Tutor payouts')),
      h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        try { await download('/api/payouts/export.csv?status=pending', 'payouts-pending.csv'); } catch { toast(t('The download failed.'), { error: true }); }
      } } }, t('Download pending payouts (CSV)'))), payoutsEl),
    einvoiceSection(zone));

  async function load() {
    try {
      const pending = await pb.collection('purchases').getFullList({ filter: 'status = "pending"', sort: 'created', expand: 'student,package' });
      replace(pendingEl, pending.length ? table([t('Created'), t('Student'), t('Package'), { text: t('Amount'), class: 'num' }, t('Actions')], pending.map((p) => h('tr',
        h('td', dateTime(p.created)), h('td', p.expand && p.expand.student ? p.expand.student.name : ''), h('td', p.expand && p.expand.package ? p.expand.package.title : ''),
        h('td', { class: 'num' }, money(p.amount, p.currency)),
        h('td', h('div', { class: 'actions m0' },
          h('button', { type: 'button', on: { click: () => markPaidDialog('purchases', p.id, `${p.expand?.student?.name || ''} · ${p.expand?.package?.title || ''} · ${money(p.amount, p.currency)}`, load) } }, t('Mark as paid')),
          h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
            if (!await confirmDialog(t('Drop this purchase?'), t('Use it when the student will not pay.'), { confirm: t('Drop it'), danger: true })) return;
            try { await pb.send(`/api/purchases/${p.id}/cancel`, { method: 'POST' }); load(); } catch (e) { toast(e.message, { error: true }); }
          } } }, t('Drop'))))))) : empty(t('No packages waiting for payment.')));
    } catch (err) { replace(pendingEl, errorBox(err)); }
    try {
      const unpaid = await pb.collection('bookings').getList(1, 100, { filter: 'payment_status = "unpaid" && status != "cancelled"', sort: 'start' });
      replace(unpaidEl, unpaid.items.length ? table([t('Lesson'), t('Student'), t('Tutor'), { text: t('Price'), class: 'num' }, t('Actions')], unpaid.items.map((b) => h('tr',
        h('td', timeRange(b.start, b.end, zone)), h('td', b.student_name), h('td', b.tutor_name), h('td', { class: 'num' }, money(b.price, b.currency)),
        h('td', h('button', { type: 'button', on: { click: () => markPaidDialog('bookings', b.id, `${b.student_name} · ${timeRange(b.start, b.end, zone)} · ${money(b.price, b.currency)}`, load) } }, t('Mark as paid')))))) : empty(t('No unpaid lessons.')));
    } catch (err) { replace(unpaidEl, errorBox(err)); }
    try {
      const paid = await pb.collection('payments').getList(1, 50, { filter: 'status != "pending"', sort: '-paid_at', expand: 'user' });
      replace(paidEl, paid.items.length ? table([t('Paid'), t('Who'), t('What'), t('Status'), { text: t('Amount'), class: 'num' }, t('Actions')], paid.items.map((p) => h('tr',
        h('td', dateTime(p.paid_at || p.created)), h('td', p.expand && p.expand.user ? p.expand.user.name : ''), h('td', lineText(p.description), h('div', { class: 'small muted' }, tv('method', p.method || p.provider))),
        h('td', pill('status', p.status)),
        h('td', { class: 'num' }, money(p.amount, p.currency), p.refunded_amount ? h('div', { class: 'small muted' }, t('refunded {amount}', { amount: money(p.refunded_amount, p.currency) })) : null),
        h('td', ['paid', 'partially_refunded'].includes(p.status) ? h('button', { type: 'button', class: 'secondary', on: { click: () => refundDialog(p, load) } }, t('Refund')) : '—')))) : empty(t('No payments yet.')));
    } catch (err) { replace(paidEl, errorBox(err)); }
    try {
      const payouts = await pb.collection('payouts').getList(1, 50, { sort: '-period_start', expand: 'tutor' });
      replace(payoutsEl, payouts.items.length ? table([t('Period'), t('Tutor'), { text: t('Lessons'), class: 'num' }, { text: t('Net'), class: 'num' }, t('Status'), t('Actions')], payouts.items.map((p) => h('tr',
        h('td', `${longDate(p.period_start)} – ${longDate(new Date(new Date(p.period_end.replace(' ', 'T')).getTime() - 1))}`), h('td', p.expand && p.expand.tutor ? p.expand.tutor.name : ''),
        h('td', { class: 'num' }, String(p.lessons)), h('td', { class: 'num' }, money(p.net, p.currency)), h('td', pill('status', p.status)),
        h('td', p.status === 'pending' ? h('button', { type: 'button', class: 'secondary', on: { click: () => payoutPaid(p) } }, t('Mark as paid')) : (p.provider_ref || '—'))))) : empty(t('No payouts yet.')));
    } catch (err) { replace(payoutsEl, errorBox(err)); }
  }

  function payoutPaid(p) {
    openDialog(t('Record a payout'), (body, close) => {
      const form = h('form', { novalidate: true }, errorSummary(), h('p', `${p.expand?.tutor?.name || ''} · ${money(p.net, p.currency)}`),
        field({ name: 'reference', label: t('Reference'), maxlength: 200, required: true }),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Mark as paid'))));
      body.append(form);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(form, async () => {
          try { await pb.send(`/api/payouts/${p.id}/mark-paid`, { method: 'POST', body: { reference: form.elements.reference.value } }); close(); load(); } catch (err) { showErrors(form, err); }
        });
      });
    });
  }
  await load();
}

// Payments, refunds and invoices of the signed-in user (PDF downloads).
import { pb, download } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { dateTime, longDate, money, lineText } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, table, toast } from '../ui.js';
import { school } from '../pb.js';
import { openDialog } from '../ui.js';
import { statementPicker } from '../statements.js';

function howToPay(p) {
  openDialog(t('How to pay'), async (body) => {
    const s = await school();
    // a lesson is paid quoting its date, a package its name: the school's text for each
    const text = p.booking ? (s.lesson_payment_instructions || s.payment_instructions) : s.payment_instructions;
    body.append(h('div', { class: 'notice payment-instructions' }, text || t('Ask the school how to pay.')),
      h('p', t('Amount: {amount}', { amount: money(p.amount, p.currency) })));
  });
}

export default async function payments(ctx) {
  ctx.setTitle(t('Payments and invoices'));
  const payEl = h('div', loading());
  const invEl = h('div', loading());
  const refEl = h('div', loading());
  replace(ctx.root, pageTitle(t('Payments and invoices')),
    h('section', { 'aria-labelledby': 'pa-h' }, h('h2', { id: 'pa-h' }, t('Payments')), payEl),
    h('section', { 'aria-labelledby': 'in-h' }, h('h2', { id: 'in-h' }, t('Invoices')), invEl),
    h('section', { 'aria-labelledby': 're-h' }, h('h2', { id: 're-h' }, t('Refunds')), refEl),
    h('section', { 'aria-labelledby': 'st-h' }, h('h2', { id: 'st-h' }, t('Monthly statements')), statementPicker({ as: 'payer' })));
  try {
    const list = await pb.collection('payments').getList(1, 100, { sort: '-created' });
    replace(payEl, list.items.length ? table([t('Created'), t('What'), t('Status'), { text: t('Amount'), class: 'num' }, t('Actions')],
      list.items.map((p) => h('tr',
        h('td', dateTime(p.created)),
        h('td', p.description ? lineText(p.description) : tv('kind', p.kind || 'payment')),
        h('td', pill('status', p.status)),
        h('td', { class: 'num' }, money(p.amount, p.currency), p.refunded_amount ? h('div', { class: 'small muted' }, t('refunded {amount}', { amount: money(p.refunded_amount, p.currency) })) : null),
        h('td', p.status === 'pending'
          ? (p.checkout_url ? h('a', { href: p.checkout_url, 'data-external': '' }, t('Pay now')) : h('button', { type: 'button', class: 'linklike', on: { click: () => howToPay(p) } }, t('How to pay')))
          : '—'))), { caption: t('Payments'), stack: true }) : empty(t('No payments yet.')));
  } catch (err) { replace(payEl, errorBox(err)); }
  try {
    const list = await pb.collection('invoices').getList(1, 100, { sort: '-issued_at' });
    replace(invEl, list.items.length ? table([t('Number'), t('Date'), t('Kind'), t('What'), { text: t('Total'), class: 'num' }, t('PDF')],
      list.items.map((i) => h('tr',
        h('td', i.number), h('td', longDate(i.issued_at)), h('td', tv('kind', i.kind)),
        h('td', (Array.isArray(i.lines) ? i.lines : []).map((l) => h('div', lineText(l.Description || l.description || '')))),
        h('td', { class: 'num' }, money(i.total, i.currency)),
        h('td', h('button', { type: 'button', class: 'linklike', 'aria-label': t('Download invoice {number} (PDF)', { number: i.number }), on: { click: async () => {
          try { await download(`/api/invoices/${i.id}/pdf`, `${i.number}.pdf`); } catch (e) { toast(t('The download failed.'), { error: true }); }
        } } }, t('Download'))))), { caption: t('Invoices'), stack: true }) : empty(t('No invoices yet.')));
  } catch (err) { replace(invEl, errorBox(err)); }
  try {
    const list = await pb.collection('refunds').getList(1, 100, { sort: '-created' });
    replace(refEl, list.items.length ? table([t('Created'), t('Reason'), t('Status'), { text: t('Amount'), class: 'num' }],
      list.items.map((r) => h('tr', h('td', dateTime(r.created)), h('td', r.reason || '—'), h('td', pill('status', r.status)), h('td', { class: 'num' }, money(r.amount, r.currency)))), { caption: t('Refunds'), stack: true }) : empty(t('No refunds.')));
  } catch (err) { replace(refEl, errorBox(err)); }
}

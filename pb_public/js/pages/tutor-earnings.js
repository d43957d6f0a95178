// Tutor: earnings (lessons taught, not paid out yet) and payout statements.
import { pb, currentUser } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { money, longDate, dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, table } from '../ui.js';
import { payoutAccount } from '../api.js';
import { statementPicker } from '../statements.js';

/** What each payout account status means to its tutor. */
const ACCOUNT_TEXT = {
  details_needed: () => t('Details needed: finish setting up your Stripe account to receive payouts.'),
  pending: () => t('Stripe is checking your details; payouts start once it has.'),
  enabled: () => t('Payouts enabled: your payouts reach your Stripe account.'),
};

/** The tutor's payout account: its status and the way to Stripe's onboarding. */
async function accountSection(el) {
  try {
    const a = await payoutAccount.get();
    if (a.by_hand) { replace(el, h('p', t('The school pays you itself, by bank transfer.'))); return; }
    const go = h('button', { type: 'button', on: { click: async () => {
      go.disabled = true;
      try { location.assign((await payoutAccount.link()).url); } catch (err) { go.disabled = false; el.append(errorBox(err)); }
    } } }, !a.connected ? t('Connect with Stripe') : a.status === 'details_needed' ? t('Finish setting up') : t('Update my details'));
    replace(el, h('p', { class: 'payout-status', dataset: { status: a.status || 'none' } },
      a.connected ? (ACCOUNT_TEXT[a.status] || ACCOUNT_TEXT.details_needed)() : t('Connect a Stripe account to receive your payouts directly.')),
    h('div', { class: 'actions' }, go));
  } catch (err) { replace(el, errorBox(err)); }
}

export default async function earnings(ctx) {
  ctx.setTitle(t('Earnings'));
  const openEl = h('div', loading());
  const payoutsEl = h('div', loading());
  const accountEl = h('div', loading());
  replace(ctx.root, pageTitle(t('Earnings')),
    h('section', { 'aria-labelledby': 'pa-h' }, h('h2', { id: 'pa-h' }, t('Payout account')), accountEl),
    h('section', { 'aria-labelledby': 'op-h' }, h('h2', { id: 'op-h' }, t('Taught, not paid out yet')), openEl),
    h('section', { 'aria-labelledby': 'po-h' }, h('h2', { id: 'po-h' }, t('Payouts')), payoutsEl),
    h('section', { 'aria-labelledby': 'st-h' }, h('h2', { id: 'st-h' }, t('Monthly statements')), statementPicker()));
  const me = currentUser().id;
  accountSection(accountEl);
  try {
    const list = await pb.collection('bookings').getFullList({ filter: pb.filter('tutor_user = {:me} && (status = "completed" || status = "no_show") && payout = ""', { me }), sort: '-start' });
    const payable = list.filter((b) => ['paid', 'credit', 'partially_refunded'].includes(b.payment_status));
    const byCur = {};
    for (const b of payable) byCur[b.currency || 'EUR'] = (byCur[b.currency || 'EUR'] || 0) + (b.price || 0);
    replace(openEl, list.length ? [
      h('p', t('Lessons paid for and waiting for the next weekly payout: {total} (before the school commission).', { total: Object.entries(byCur).map(([c, v]) => money(v, c)).join(' + ') || money(0) })),
      table([t('Lesson'), t('Student'), t('Payment'), { text: t('Price'), class: 'num' }], list.map((b) => h('tr',
        h('td', h('a', { href: `/lessons/${b.id}` }, dateTime(b.start))), h('td', b.student_name), h('td', pill('status', b.payment_status || 'unpaid')),
        h('td', { class: 'num' }, money(b.price, b.currency))))),
      h('p', { class: 'small muted' }, t('Unpaid lessons are paid out once the student pays.')),
    ] : empty(t('Nothing waiting: every lesson taught has been paid out.')));
  } catch (err) { replace(openEl, errorBox(err)); }
  try {
    const res = await pb.collection('payouts').getList(1, 100, { sort: '-period_start' });
    replace(payoutsEl, res.items.length ? h('ul', { class: 'list' }, res.items.map((p) => h('li',
      h('div', { class: 'row' },
        h('strong', t('{from} to {to}', { from: longDate(p.period_start), to: longDate(new Date(new Date(p.period_end.replace(' ', 'T')).getTime() - 1)) })),
        h('span', pill('status', p.status), ' ', h('strong', money(p.net, p.currency)))),
      h('p', { class: 'small muted m0' }, t('{n} lessons · gross {gross} · school commission {commission}', { n: p.lessons, gross: money(p.gross, p.currency), commission: money(p.commission, p.currency) }),
        p.paid_at ? ` · ${t('paid on {date}', { date: longDate(p.paid_at) })}` : ''),
      h('details', h('summary', t('Statement')),
        table([t('Lesson'), t('Student'), t('Kind'), { text: t('Amount'), class: 'num' }], (p.items || []).map((i) => h('tr',
          h('td', dateTime(i.start)), h('td', i.student || ''), h('td', i.kind === 'reversal' ? t('refund taken back') : t('lesson')),
          h('td', { class: 'num' }, money(i.amount, p.currency), i.refunded ? h('div', { class: 'small muted' }, t('refunded {amount}', { amount: money(i.refunded, p.currency) })) : null)))))))) : empty(t('No payouts yet. Payouts are made every week for the lessons of the week before.')));
  } catch (err) { replace(payoutsEl, errorBox(err)); }
}

// Student: packages bought, credits left, and the credit ledger.
import { pb, role } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { dateTime, longDate, money } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, table } from '../ui.js';

export default async function credits(ctx) {
  ctx.setTitle(t('Credits'));
  const purchasesEl = h('div', loading());
  const ledgerEl = h('div', loading());
  replace(ctx.root, pageTitle(t('Credits'), h('div', { class: 'head-links' },
    h('a', { href: '/subscription' }, t('My subscription')), h('a', { href: '/plans' }, t('Plans')))),
    h('p', { class: 'muted' }, t('Lessons you bought in packages. A credit is spent when you book and comes back when you cancel in time.')),
    h('section', { 'aria-labelledby': 'pu-h' }, h('h2', { id: 'pu-h' }, t('My packages')), purchasesEl),
    h('section', { 'aria-labelledby': 'le-h' }, h('h2', { id: 'le-h' }, t('Credit history')), ledgerEl));
  try {
    const list = await pb.collection('purchases').getFullList({ sort: '-created', expand: 'package,tutor' });
    replace(purchasesEl, list.length ? h('ul', { class: 'cards' }, list.map((p) => {
      const left = Math.max(0, (p.credits_total || 0) - (p.credits_used || 0));
      const pkg = p.expand && p.expand.package;
      const tutor = p.expand && p.expand.tutor;
      return h('li', h('article', { class: 'card' },
        h('h3', pkg ? pkg.title : p.subscription ? t('Subscription') : t('Package')),
        tutor ? h('p', h('a', { href: `/tutors/${tutor.id}` }, tutor.name)) : null,
        h('p', pill('status', p.status)),
        p.status === 'paid' ? h('p', h('strong', t('{n} of {total} credits left', { n: left, total: p.credits_total }))) : null,
        p.expires_at ? h('p', { class: 'small muted' }, t('Valid until {date}', { date: dateTime(p.expires_at) })) : null,
        p.status === 'pending' ? h('p', { class: 'small' }, t('Waiting for your payment to the school.')) : null,
        h('div', { class: 'card-foot' }, h('span', money(p.amount, p.currency)), tutor && p.status === 'paid' && left ? h('a', { class: 'button', href: `/tutors/${tutor.id}` }, t('Book with a credit')) : null)));
    })) : h('div', empty(t('You have no packages yet.')), h('p', h('a', { href: '/' }, t('Find a tutor and a package')))));
  } catch (err) { replace(purchasesEl, errorBox(err)); }
  try {
    // a guardian reads the ledger of each of their students (docs/families.md)
    const family = role() === 'guardian';
    const res = await pb.collection('credit_ledger').getList(1, 100, { sort: '-created', expand: family ? 'purchase.package,booking,student' : 'purchase.package,booking' });
    replace(ledgerEl, res.items.length ? table([t('When'), ...(family ? [t('Student')] : []), t('What'), t('Package'), { text: t('Change'), class: 'num' }, { text: t('Left'), class: 'num' }],
      res.items.map((r) => h('tr',
        h('td', dateTime(r.created)),
        family ? h('td', (r.expand && r.expand.student && r.expand.student.name) || '—') : null,
        h('td', tv('ledger', r.kind), r.expand && r.expand.booking ? [' · ', h('a', { href: `/lessons/${r.booking}` }, t('lesson of {date}', { date: longDate(r.expand.booking.start) }))] : null),
        h('td', (r.expand && r.expand.purchase && r.expand.purchase.expand && r.expand.purchase.expand.package && r.expand.purchase.expand.package.title) || '—'),
        h('td', { class: 'num' }, r.delta > 0 ? `+${r.delta}` : String(r.delta)),
        h('td', { class: 'num' }, String(r.balance_after)))), { caption: t('Credit history') }) : empty(t('No credit movements yet.')));
  } catch (err) { replace(ledgerEl, errorBox(err)); }
}

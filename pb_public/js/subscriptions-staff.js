// Staff: the subscriptions a school paid by hand renews, one period at a
// time (internal/app/subscriptions Renew, docs/payments.md).
import { pb } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { money, longDate } from './format.js';
import { loading, empty, errorBox, pill, table } from './ui.js';
import { subscriptions } from './api.js';
import { recordPaymentDialog } from './pages/admin-bookings.js';

function renewDialog(s, onDone) {
  const plan = (s.expand && s.expand.next_plan) || (s.expand && s.expand.plan);
  const label = `${(s.expand && s.expand.user && s.expand.user.name) || ''} · ${plan ? `${plan.title} · ${money(plan.price, plan.currency)}` : ''}`;
  recordPaymentDialog(t('Record a period'), label, (body) => subscriptions.renew(s.id, { ...body, after: s.current_period_end || '' }), onDone);
}

/** The section of the Payments page: running subscriptions paid by hand, each with its next period to record. */
export function subscriptionsSection() {
  const el = h('div', loading());
  async function load() {
    try {
      const res = await pb.collection('subscriptions').getList(1, 100, { filter: 'provider = "manual" && status != "cancelled"', sort: 'current_period_end', expand: 'user,plan,next_plan' });
      replace(el, res.items.length ? table([t('Who'), t('Plan'), t('Status'), t('Paid until'), t('Actions')], res.items.map((s) => h('tr', { dataset: { id: s.id } },
        h('td', (s.expand && s.expand.user && s.expand.user.name) || ''),
        h('td', (s.expand && s.expand.plan && s.expand.plan.title) || '', s.expand && s.expand.next_plan ? h('div', { class: 'small muted' }, t('From the next period: {plan}', { plan: s.expand.next_plan.title })) : null),
        h('td', pill('status', s.status)),
        h('td', s.current_period_end ? longDate(s.current_period_end) : '—', s.cancel_at_period_end ? h('div', { class: 'small muted' }, t('ends then')) : null),
        h('td', s.cancel_at_period_end ? '—' : h('button', { type: 'button', on: { click: () => renewDialog(s, load) } }, s.current_period_end ? t('Record the next period') : t('Record the first period')))))) : empty(t('No subscriptions paid by hand.')));
    } catch (err) { replace(el, errorBox(err)); }
  }
  load();
  return h('section', { 'aria-labelledby': 'sb-h' }, h('h2', { id: 'sb-h' }, t('Subscriptions paid by hand')), el);
}

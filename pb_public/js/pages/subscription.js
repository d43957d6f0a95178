// The payer's subscription: status, credits, cancel at period end, change plan, the card.
import { pb, currentUser } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { longDate, money, parseDate } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, toast, confirmDialog } from '../ui.js';
import { subscriptions } from '../api.js';

export default async function subscription(ctx) {
  ctx.setTitle(t('My subscription'));
  const el = h('div', loading());
  replace(ctx.root, pageTitle(t('My subscription')), el);
  const me = currentUser();
  try {
    const subs = await pb.collection('subscriptions').getList(1, 1, { filter: pb.filter('user = {:me}', { me: me.id }), sort: '-created', expand: 'plan,next_plan' });
    const sub = subs.items[0];
    if (!sub || sub.status === 'cancelled') {
      replace(el, empty(t('You have no subscription.')), h('p', h('a', { class: 'button', href: '/plans' }, t('See the plans'))));
      return;
    }
    const periods = await pb.collection('purchases').getFullList({ filter: pb.filter('subscription = {:s} && status = "paid"', { s: sub.id }), sort: 'period_start' });
    const now = Date.now();
    const left = periods.filter((p) => !p.expires_at || parseDate(p.expires_at).getTime() > now)
      .reduce((n, p) => n + Math.max(0, p.credits_total - p.credits_used), 0);
    const plans = await pb.collection('plans').getFullList({ filter: 'active = true', sort: 'price' });
    replace(el, view(ctx, sub, left, plans));
  } catch (err) { replace(el, errorBox(err)); }
}

function view(ctx, sub, left, plans) {
  const plan = sub.expand && sub.expand.plan;
  const next = sub.expand && sub.expand.next_plan;
  const running = sub.status === 'active' || sub.status === 'past_due';
  const act = (fn) => async (ev) => {
    ev.currentTarget.disabled = true;
    const button = ev.currentTarget;
    try { await fn(); subscription(ctx); } catch (err) { toast(err.message, { error: true }); button.disabled = false; }
  };
  const choose = h('select', { name: 'plan', 'aria-label': t('Plan for the next period') },
    plans.filter((p) => p.id !== (sub.next_plan || sub.plan) && p.currency === (plan && plan.currency) && p.interval === (plan && plan.interval)).map((p) => h('option', { value: p.id }, `${p.title} · ${money(p.price, p.currency)}`)));
  return h('article', { class: 'card subscription' },
    h('h2', plan ? plan.title : t('Subscription')),
    h('p', pill('status', sub.status)),
    plan ? h('p', money(plan.price, plan.currency)) : null,
    sub.status === 'past_due' ? h('p', { class: 'notice', role: 'alert' }, t('Your last payment failed: update your card. Bookings with its credits pause on {date}.', { date: longDate(sub.grace_until) })) : null,
    sub.status === 'incomplete' ? h('p', { class: 'notice' }, t('Waiting for your first payment.'), sub.checkout_url ? [' ', h('a', { href: sub.checkout_url }, t('Pay now'))] : null) : null,
    h('p', h('strong', { class: 'credits-left' }, t('{n} credits left', { n: left }))),
    sub.current_period_end ? h('p', { class: 'small muted' }, sub.cancel_at_period_end
      ? t('Ends on {date}: nothing more is charged.', { date: longDate(sub.current_period_end) })
      : t('Renews on {date}', { date: longDate(sub.current_period_end) })) : null,
    next ? h('p', { class: 'small' }, t('From the next period: {plan}', { plan: next.title })) : null,
    h('div', { class: 'actions' },
      running && !sub.cancel_at_period_end && choose.options.length ? [choose,
        h('button', { type: 'button', on: { click: act(() => subscriptions.changePlan(sub.id, choose.value)) } }, t('Change plan'))] : null,
      sub.customer ? h('button', { type: 'button', on: { click: act(async () => { const r = await subscriptions.portal(sub.id); window.location.assign(r.url); }) } }, t('Manage card')) : null,
      !sub.cancel_at_period_end ? h('button', { type: 'button', class: 'danger', on: { click: act(async () => {
        if (await confirmDialog(t('Cancel subscription'), t('Your subscription ends at the end of the period paid; its credits stay until they expire.'), { danger: true })) await subscriptions.cancel(sub.id);
      }) } }, t('Cancel at period end')) : null));
}

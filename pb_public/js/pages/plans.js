// The plans on sale: a monthly or weekly number of lesson credits; subscribe.
import { pb, currentUser } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { money } from '../format.js';
import { pageTitle, loading, empty, errorBox, toast } from '../ui.js';
import { subscriptions } from '../api.js';

export default async function plans(ctx) {
  ctx.setTitle(t('Plans'));
  const listEl = h('div', loading());
  const noteEl = h('div');
  replace(ctx.root, pageTitle(t('Plans')),
    h('p', { class: 'muted' }, t('A plan gives you lesson credits every period. Unused credits roll over to the next period, up to the plan\'s limit.')),
    noteEl, listEl);
  try {
    const list = await pb.collection('plans').getFullList({ filter: 'active = true', sort: 'price' });
    replace(listEl, list.length ? h('ul', { class: 'cards' }, list.map((p) => h('li', h('article', { class: 'card plan' },
      h('h3', p.title),
      p.description ? h('p', p.description) : null,
      h('p', h('strong', t('{n} lesson credits per {interval}', { n: p.credits, interval: tv('interval', p.interval) }))),
      p.minutes ? h('p', { class: 'small muted' }, t('Lessons of {n} minutes', { n: p.minutes })) : null,
      p.rollover_max ? h('p', { class: 'small muted' }, t('Up to {n} unused credits roll over', { n: p.rollover_max })) : null,
      h('div', { class: 'card-foot' }, h('span', money(p.price, p.currency), ' / ', tv('interval', p.interval)),
        currentUser() ? h('button', { type: 'button', class: 'primary', on: { click: (ev) => start(ev.currentTarget, p, noteEl) } }, t('Subscribe'))
          : h('a', { class: 'button', href: '/signin' }, t('Sign in to subscribe'))))))) : empty(t('No plans on sale yet.')));
  } catch (err) { replace(listEl, errorBox(err)); }
}

async function start(button, plan, noteEl) {
  button.disabled = true;
  try {
    const res = await subscriptions.subscribe(plan.id);
    if (res.url) { window.location.assign(res.url); return; }
    replace(noteEl, h('div', { class: 'notice', role: 'status' },
      h('p', t('Your subscription starts when the school records your first payment.')),
      res.instructions ? h('p', res.instructions) : null,
      h('p', h('a', { href: '/subscription' }, t('My subscription')))));
  } catch (err) {
    toast(err.message, { error: true });
  } finally { button.disabled = false; }
}

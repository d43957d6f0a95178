// Admin: the flags of suspicious activity (internal/app/flags) waiting for
// review, each dismissed, answered with a warning, or the account suspended.
import { pb } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, table, toast, confirmDialog } from '../ui.js';
import { flags } from '../api.js';

const RULES = {
  card_testing: () => t('Many failed payments (card testing)'),
  booking_churn: () => t('Many lessons booked and cancelled'),
  unpaid_hoard: () => t('Many unpaid lessons held'),
  signup_burst: () => t('Many accounts from one address'),
  large_refund: () => t('A large refund'),
  message_fanout: () => t('Messages to many people at once'),
};

export default async function adminFlags(ctx) {
  ctx.setTitle(t('Flags'));
  const listEl = h('div', loading());
  replace(ctx.root, pageTitle(t('Flags')),
    h('p', { class: 'muted' }, t('Activity the school\'s rules found unusual. Checkout stays on hold for a card-testing flag until it is reviewed.')),
    listEl);
  async function review(f, action) {
    if (action === 'suspend' && !await confirmDialog(t('Suspend this account?'), t('The person is signed out everywhere and cannot sign in until staff lift the suspension.'), { confirm: t('Suspend'), danger: true })) return;
    try { await flags.review(f.id, action); toast(t('Flag reviewed.')); load(); } catch (e) { toast(e.message, { error: true }); }
  }
  async function load() {
    try {
      const res = await pb.collection('flags').getList(1, 100, { filter: 'status = "open"', sort: '-created', expand: 'user' });
      if (!ctx.isCurrent()) return;
      replace(listEl, res.items.length ? table([t('Created'), t('Rule'), t('Who'), t('Evidence'), t('Actions')], res.items.map((f) => h('tr', { dataset: { id: f.id } },
        h('td', dateTime(f.created)),
        h('td', RULES[f.rule] ? RULES[f.rule]() : f.rule, f.holds ? h('div', { class: 'small muted' }, t('Checkout on hold')) : null),
        h('td', f.expand && f.expand.user ? f.expand.user.name : f.subject),
        h('td', t('{n} records', { n: (f.evidence && f.evidence.count) || 0 })),
        h('td', h('div', { class: 'actions m0' },
          h('button', { type: 'button', class: 'secondary', on: { click: () => review(f, 'dismiss') } }, t('Dismiss')),
          f.user ? h('button', { type: 'button', class: 'secondary', on: { click: () => review(f, 'warn') } }, t('Warn')) : null,
          f.user ? h('button', { type: 'button', class: 'danger secondary', on: { click: () => review(f, 'suspend') } }, t('Suspend')) : null))))) : empty(t('Nothing to review.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  await load();
}

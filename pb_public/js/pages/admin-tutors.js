// Admin: the tutor verification queue and every tutor's status.
import { pb, subjectNames } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { longDate, money } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, toast, confirmDialog } from '../ui.js';

export default async function adminTutors(ctx) {
  ctx.setTitle(t('Tutor verification'));
  const names = await subjectNames().catch(() => new Map());
  const queueEl = h('div', loading());
  const allEl = h('div', loading());
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  replace(ctx.root, pageTitle(t('Tutor verification')), live,
    h('section', { 'aria-labelledby': 'q-h' }, h('h2', { id: 'q-h' }, t('Waiting for verification')), queueEl),
    h('section', { 'aria-labelledby': 'a-h' }, h('h2', { id: 'a-h' }, t('All tutors')), allEl));

  async function update(tu, data, message) {
    try { await pb.collection('tutors').update(tu.id, data); toast(message); live.textContent = message; load(); } catch (e) { toast((e.response && e.response.message) || e.message, { error: true }); }
  }

  function card(tu, queue) {
    const u = tu.expand && tu.expand.user;
    return h('li', { dataset: { id: tu.id } }, h('article', { class: 'card tutor-row' },
      h('div', { class: 'row' }, h('h3', tu.name || (u && u.name) || t('Tutor')), pill('status', tu.status)),
      u ? h('p', { class: 'small muted m0' }, u.email, ' · ', t('signed up {date}', { date: longDate(tu.created) }), u.verified ? '' : ` · ${t('email not confirmed')}`) : null,
      tu.headline ? h('p', tu.headline) : h('p', { class: 'muted' }, t('No headline yet.')),
      h('p', { class: 'small' }, (tu.subjects || []).map((s) => names.get(s) || s).join(', ') || t('No subjects yet.'), ' · ', t('{price} per hour', { price: money(tu.hourly_rate, tu.currency) })),
      h('div', { class: 'card-foot' },
        queue || !tu.verified ? h('button', { type: 'button', on: { click: () => update(tu, { verified: true, status: 'active' }, t('{name} is verified and listed.', { name: tu.name })) } }, t('Verify {name}', { name: tu.name || '' })) : null,
        tu.status !== 'suspended' ? h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
          if (await confirmDialog(t('Suspend {name}?', { name: tu.name }), t('The tutor leaves the directory and cannot be booked. Existing lessons stay.'), { confirm: t('Suspend'), danger: true })) update(tu, { status: 'suspended' }, t('{name} is suspended.', { name: tu.name }));
        } } }, t('Suspend')) : h('button', { type: 'button', class: 'secondary', on: { click: () => update(tu, { status: tu.verified ? 'active' : 'pending' }, t('{name} is active again.', { name: tu.name })) } }, t('Reactivate')),
        tu.verified && tu.status === 'active' ? h('a', { href: `/tutors/${tu.id}` }, t('Public profile')) : null)));
  }

  async function load() {
    try {
      const [queue, all] = await Promise.all([
        pb.collection('tutors').getFullList({ filter: 'verified = false && status != "suspended"', sort: 'created', expand: 'user' }),
        pb.collection('tutors').getList(1, 200, { sort: 'name', expand: 'user' }),
      ]);
      if (!ctx.isCurrent()) return;
      replace(queueEl, queue.length ? h('ul', { class: 'cards', id: 'queue' }, queue.map((tu) => card(tu, true))) : empty(t('Nobody is waiting.')));
      replace(allEl, h('ul', { class: 'cards' }, all.items.filter((tu) => tu.verified || tu.status === 'suspended').map((tu) => card(tu, false))));
    } catch (err) { replace(queueEl, errorBox(err)); }
  }
  await load();
  const unsub = await pb.collection('tutors').subscribe('*', () => load()).catch(() => null);
  return () => { if (unsub) unsub(); };
}

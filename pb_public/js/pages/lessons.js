// My lessons: upcoming and past, live, with join, cancel, reschedule, pay
// and review.
import { pb, subjectNames, role } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, loading, empty, errorBox } from '../ui.js';
import { lessonItem } from '../lesson-item.js';

export default async function lessons(ctx) {
  ctx.setTitle(t('My lessons'));
  const names = await subjectNames().catch(() => new Map());
  const upcomingEl = h('div', loading());
  const pastEl = h('div', loading());
  const live = h('p', { class: 'visually-hidden', role: 'status' });
  let pastPage = 1;
  replace(ctx.root, pageTitle(t('My lessons'), role() === 'student' ? h('a', { class: 'button', href: '/' }, t('Book a lesson')) : null),
    live,
    h('section', { 'aria-labelledby': 'up-h' }, h('h2', { id: 'up-h' }, t('Upcoming')), upcomingEl),
    h('section', { 'aria-labelledby': 'past-h' }, h('h2', { id: 'past-h' }, t('Past and cancelled')), pastEl));

  async function load() {
    const now = new Date().toISOString().replace('T', ' ');
    try {
      const [up, past] = await Promise.all([
        pb.collection('bookings').getFullList({ filter: pb.filter('end >= {:now} && (status = "pending" || status = "confirmed")', { now }), sort: 'start' }),
        pb.collection('bookings').getList(1, pastPage * 20, { filter: pb.filter('end < {:now} || (status != "pending" && status != "confirmed")', { now }), sort: '-start' }),
      ]);
      if (!ctx.isCurrent()) return;
      let reviews = new Map();
      const done = past.items.filter((b) => b.status === 'completed').map((b) => b.id);
      if (done.length && role() === 'student') {
        const rs = await pb.collection('reviews').getFullList({ filter: done.map((id) => pb.filter('booking = {:id}', { id })).join(' || ') });
        reviews = new Map(rs.map((r) => [r.booking, r]));
      }
      replace(upcomingEl, up.length ? h('ul', { class: 'list', id: 'upcoming' }, up.map((b) => lessonItem(b, { subjectNames: names, onChanged: load }))) : empty(t('No upcoming lessons.')));
      replace(pastEl, past.items.length
        ? [h('ul', { class: 'list', id: 'past' }, past.items.map((b) => lessonItem(b, { subjectNames: names, onChanged: load, review: reviews.get(b.id) }))),
          past.totalItems > past.items.length ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: () => { pastPage += 1; load(); } } }, t('Show more'))) : null]
        : empty(t('No past lessons yet.')));
    } catch (err) {
      if (!err.isAbort) replace(upcomingEl, errorBox(err));
    }
  }
  await load();
  const unsub = await pb.collection('bookings').subscribe('*', (e) => {
    live.textContent = t('Your lessons were updated.');
    load();
  }).catch((e) => { console.warn(e); return null; });
  return () => { if (unsub) unsub(); };
}

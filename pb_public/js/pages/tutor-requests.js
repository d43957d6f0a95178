// Tutor: booking requests to confirm and the latest bookings, live.
import { pb, currentUser, subjectNames, myTutor, pbDate } from '../pb.js';
import { h, replace } from '../dom.js';
import { topics } from '../api.js';
import { t } from '../i18n.js';
import { pageTitle, loading, empty, errorBox } from '../ui.js';
import { lessonItem } from '../lesson-item.js';
import { suggestionsBox } from '../suggestions.js';

export default async function requests(ctx) {
  ctx.setTitle(t('Requests'));
  const me = currentUser().id; // before any wait: a sign-out may come meanwhile
  const names = await subjectNames().catch(() => new Map());
  const tutor = await myTutor().catch(() => null);
  const pendingEl = h('div', loading());
  const recentEl = h('div', loading());
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  replace(ctx.root, pageTitle(t('Requests')),
    tutor && !tutor.verified ? h('p', { class: 'notice warning' }, t('Your profile is waiting for the school to verify it. Until then students cannot find or book you.'), ' ', h('a', { href: '/tutor/profile' }, t('Complete your profile'))) : null,
    tutor && tutor.auto_confirm ? h('p', { class: 'muted' }, t('New bookings are confirmed automatically (see your profile settings).')) : null,
    live,
    suggestionsBox(),
    h('section', { 'aria-labelledby': 'pe-h' }, h('h2', { id: 'pe-h' }, t('Waiting for you')), pendingEl),
    h('section', { 'aria-labelledby': 're-h' }, h('h2', { id: 're-h' }, t('Latest bookings')), recentEl));
  async function load() {
    // lessons last at most 8 hours: the start bound keeps each list to the
    // tutor's upcoming lessons in the (tutor_user, start) index
    const params = { me, now: pbDate(new Date()), floor: pbDate(new Date(Date.now() - 8 * 3600 * 1000)) };
    try {
      const [pending, recent] = await Promise.all([
        pb.collection('bookings').getFullList({ filter: pb.filter('tutor_user = {:me} && status = "pending" && start >= {:floor} && end >= {:now}', params), sort: 'start' }),
        pb.collection('bookings').getList(1, 10, { filter: pb.filter('tutor_user = {:me} && start >= {:floor} && end >= {:now}', params), sort: '-created', skipTotal: true }),
      ]);
      if (!ctx.isCurrent()) return;
      replace(pendingEl, pending.length ? h('ul', { class: 'list', id: 'pending' }, pending.map((b) => lessonItem(b, { subjectNames: names, onChanged: load }))) : empty(t('No requests waiting.')));
      replace(recentEl, recent.items.length ? h('ul', { class: 'list', id: 'recent' }, recent.items.map((b) => lessonItem(b, { subjectNames: names, onChanged: load }))) : empty(t('No upcoming lessons booked.')));
    } catch (err) { replace(pendingEl, errorBox(err)); }
  }
  await load();
  const unsub = await pb.realtime.subscribe(topics.MY_BOOKINGS, (e) => {
    if (e.action === 'create') live.textContent = t('New booking from {name}.', { name: e.record.student_name });
    load();
  }).catch((e) => { console.warn(e); return null; });
  return () => { if (unsub) unsub(); };
}

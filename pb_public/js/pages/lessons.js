// My lessons: upcoming and past, live, with join, cancel, reschedule, pay
// and review.
import { pb, subjectNames, role, currentUser, pbDate } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, loading, empty, errorBox } from '../ui.js';
import { lessonItem } from '../lesson-item.js';
import { guardians, topics } from '../api.js';
import { suggestionsBox } from '../suggestions.js';

export default async function lessons(ctx) {
  ctx.setTitle(t('My lessons'));
  const me = currentUser().id; // before any wait: a sign-out may come meanwhile
  const names = await subjectNames().catch(() => new Map());
  const upcomingEl = h('div', loading());
  const pastEl = h('div', loading());
  const live = h('p', { class: 'visually-hidden', role: 'status' });
  const page = 10;
  let upShown = page, pastShown = page;
  replace(ctx.root, pageTitle(t('My lessons'), h('div', { class: 'head-links' },
    h('a', { href: '/calendar' }, t('Calendar')),
    role() === 'student' ? h('a', { href: '/progress' }, t('My progress')) : null,
    role() === 'student' || role() === 'guardian' ? h('a', { class: 'button', href: '/' }, t('Book a lesson')) : null)),
    live,
    role() === 'student' ? suggestionsBox() : null,
    h('section', { 'aria-labelledby': 'up-h' }, h('h2', { id: 'up-h' }, t('Upcoming')), upcomingEl),
    h('section', { 'aria-labelledby': 'past-h' }, h('h2', { id: 'past-h' }, t('Past and cancelled')), pastEl));

  // Each list asks for one page (plus one row, to know whether there is
  // more) of the caller's own side, bounded on start: the (student, start)
  // and (tutor_user, start) indexes answer it by walking the few rows
  // shown, however long the history (see docs/benchmarks.md).
  const side = { student: 'student', tutor: 'tutor_user' }[role()];
  const mine = side ? `${side} = {:me} && ` : '';
  const maxLessonMs = 8 * 3600 * 1000; // lessons last at most 8 hours

  async function load() {
    if (!ctx.isCurrent()) return; // signed out or moved on
    const now = new Date();
    const params = { me, now: pbDate(now), floor: pbDate(new Date(now - maxLessonMs)) };
    try {
      const [upList, pastList] = await Promise.all([
        pb.collection('bookings').getList(1, upShown + 1, { filter: pb.filter(mine + 'start >= {:floor} && end >= {:now} && (status = "pending" || status = "confirmed")', params), sort: 'start', skipTotal: true, expand: 'tutor' }),
        pb.collection('bookings').getList(1, pastShown + 1, { filter: pb.filter(mine + '(end < {:now} || (status != "pending" && status != "confirmed"))', params), sort: '-start', skipTotal: true, expand: 'tutor' }),
      ]);
      const up = upList.items.slice(0, upShown);
      const past = pastList.items.slice(0, pastShown);
      if (!ctx.isCurrent()) return;
      let reviews = new Map();
      const done = past.filter((b) => b.status === 'completed').map((b) => b.id);
      if (done.length && role() === 'student') {
        const rs = await pb.collection('reviews').getFullList({ filter: done.map((id) => pb.filter('booking = {:id}', { id })).join(' || ') });
        reviews = new Map(rs.map((r) => [r.booking, r]));
      }
      const more = (list, shown, grow) => list.items.length > shown
        ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: () => { grow(); load(); } } }, t('Show more')))
        : null;
      replace(upcomingEl, up.length
        ? [h('ul', { class: 'list', id: 'upcoming' }, up.map((b) => lessonItem(b, { subjectNames: names, onChanged: load }))),
          more(upList, upShown, () => { upShown += page; })]
        : empty(t('No upcoming lessons.')));
      replace(pastEl, past.length
        ? [h('ul', { class: 'list', id: 'past' }, past.map((b) => lessonItem(b, { subjectNames: names, onChanged: load, review: reviews.get(b.id) }))),
          more(pastList, pastShown, () => { pastShown += page; })]
        : empty(t('No past lessons yet.')));
    } catch (err) {
      if (!err.isAbort) replace(upcomingEl, errorBox(err));
    }
  }
  await load();
  const changed = () => {
    live.textContent = t('Your lessons were updated.');
    load();
  };
  // a guardian's students' lessons come on the family topic (their list rule names no guardian)
  const unsub = await (role() === 'guardian' ? pb.realtime.subscribe(guardians.TOPIC, changed) : pb.realtime.subscribe(topics.MY_BOOKINGS, changed))
    .catch((e) => { console.warn(e); return null; });
  return () => { if (unsub) unsub(); };
}

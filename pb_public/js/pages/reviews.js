// Student: my reviews, and completed lessons waiting for one.
import { pb, currentUser } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { viewerZone, timeRange, stars, longDate } from '../format.js';
import { pageTitle, loading, empty, errorBox } from '../ui.js';
import { reviewDialog } from '../lesson-actions.js';

export default async function reviews(ctx) {
  ctx.setTitle(t('Reviews'));
  const todoEl = h('div', loading());
  const mineEl = h('div', loading());
  replace(ctx.root, pageTitle(t('Reviews')),
    h('p', { class: 'muted' }, t('You can review each completed lesson once and change your review for 14 days.')),
    h('section', { 'aria-labelledby': 'todo-h' }, h('h2', { id: 'todo-h' }, t('Lessons to review')), todoEl),
    h('section', { 'aria-labelledby': 'mine-h' }, h('h2', { id: 'mine-h' }, t('My reviews')), mineEl));
  async function load() {
    try {
      const me = currentUser().id;
      const [mine, done] = await Promise.all([
        pb.collection('reviews').getFullList({ filter: pb.filter('student = {:me}', { me }), sort: '-created', expand: 'booking' }),
        pb.collection('bookings').getList(1, 50, { filter: pb.filter('student = {:me} && status = "completed"', { me }), sort: '-start' }),
      ]);
      const reviewed = new Map(mine.map((r) => [r.booking, r]));
      const todo = done.items.filter((b) => !reviewed.has(b.id));
      replace(todoEl, todo.length ? h('ul', { class: 'list' }, todo.map((b) => h('li', h('div', { class: 'row' },
        h('span', h('strong', b.tutor_name), ' · ', timeRange(b.start, b.end, viewerZone())),
        h('button', { type: 'button', on: { click: () => reviewDialog(b, null, load) } }, t('Write a review')))))) : empty(t('Nothing to review right now.')));
      replace(mineEl, mine.length ? h('ul', { class: 'list' }, mine.map((r) => {
        const b = r.expand && r.expand.booking;
        const editable = Date.now() - new Date(r.created.replace(' ', 'T')).getTime() < 14 * 86400000;
        return h('li',
          h('div', { class: 'row' }, h('strong', b ? b.tutor_name : ''), h('span', { class: 'stars', 'aria-label': t('{n} out of 5', { n: r.rating }) }, stars(r.rating))),
          r.comment ? h('p', r.comment) : null,
          h('p', { class: 'small muted' }, longDate(r.created), r.hidden ? ` · ${t('hidden by the school')}` : ''),
          editable && b ? h('button', { type: 'button', class: 'secondary', on: { click: () => reviewDialog(b, r, load) } }, t('Edit review')) : null);
      })) : empty(t('You have not written any reviews yet.')));
    } catch (err) { replace(todoEl, errorBox(err)); replace(mineEl); }
  }
  await load();
}

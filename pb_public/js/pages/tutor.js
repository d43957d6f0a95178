// Visitor: a tutor's public profile with free slots (week view), packages,
// reviews and tutors that the same students also booked.
import { pb, subjectNames, role } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { money, stars, longDate, timeRange, viewerZone } from '../format.js';
import { pageTitle, loading, empty, errorBox, avatar } from '../ui.js';
import { slotWeek } from '../week.js';
import { openBooking, startCheckout } from '../booking.js';
import { tutorSlots, messages } from '../api.js';
import { languageName } from './directory.js';

export function packageCard(p, { buy = true } = {}) {
  const price = p.effective_price ?? p.price;
  return h('article', { class: 'card package-card' },
    h('h3', p.title),
    p.description ? h('p', { class: 'muted' }, p.description) : null,
    h('p', t('{lessons} lessons of {minutes} minutes', { lessons: p.lessons, minutes: p.minutes })),
    h('p', { class: 'small muted' }, t('Use them within {days} days of paying.', { days: p.valid_days })),
    h('div', { class: 'card-foot' },
      h('span', h('strong', money(price, p.currency)),
        p.discount_percent ? [' ', h('s', { class: 'muted' }, money(p.price, p.currency)), ' ', h('span', { class: 'tag' }, `−${p.discount_percent}%`)] : null),
      buy && (role() === 'student' || role() === 'visitor')
        ? h('button', { type: 'button', on: { click: () => startCheckout({ package: p.id }, { title: t('Buy {title}', { title: p.title }) }) } }, t('Buy'))
        : null));
}

export default async function tutorPage(ctx) {
  const id = ctx.params.id;
  replace(ctx.root, loading());
  let tutor;
  const names = await subjectNames().catch(() => new Map());
  try {
    tutor = await pb.collection('tutors').getOne(id);
  } catch (err) {
    ctx.setTitle(t('Tutor not found'));
    replace(ctx.root, pageTitle(t('Tutor not found')), h('p', t('This tutor is not in the directory.')), h('p', h('a', { href: '/' }, t('Back to the tutors'))));
    return;
  }
  ctx.setTitle(tutor.name);
  const bookable = tutor.verified && tutor.status === 'active';
  const lengths = Array.isArray(tutor.lesson_minutes) && tutor.lesson_minutes.length ? tutor.lesson_minutes : [60];
  const chosen = chosenSlot(ctx.query, lengths);
  const initial = chosen ? chosen.minutes : lengths.includes(60) ? 60 : lengths[0];
  const chosenEl = h('div', { 'aria-live': 'polite' });
  const slotsEl = h('div');
  const packagesEl = h('div', loading());
  const reviewsEl = h('div', loading());
  const alsoEl = h('div');
  const lengthSelect = h('select', { id: 'lesson-length', on: { change: (e) => week && week.setMinutes(Number(e.target.value)) } },
    lengths.map((m) => h('option', { value: m, selected: m === initial }, t('{n} minutes', { n: m }))));

  replace(ctx.root,
    h('div', { class: 'profile-head' },
      avatar(tutor, { size: 'large' }),
      h('div', pageTitle(tutor.name),
        tutor.headline ? h('p', { class: 'muted' }, tutor.headline) : null,
        h('p', tutor.rating_count
          ? [h('span', { class: 'stars', 'aria-hidden': 'true' }, stars(tutor.rating_avg)), ' ', t('{avg} out of 5, {n} reviews', { avg: Number(tutor.rating_avg).toFixed(1), n: tutor.rating_count })]
          : t('No reviews yet')),
        h('ul', { class: 'tags', 'aria-label': t('Subjects') }, (tutor.subjects || []).map((s) => h('li', { class: 'tag' }, names.get(s) || s))),
        h('p', t('Teaches in {langs}', { langs: (tutor.languages || []).map(languageName).join(', ') || '—' }), ' · ',
          t('{price} per hour', { price: money(tutor.hourly_rate, tutor.currency) }), ' · ',
          t("Tutor's time zone: {zone}", { zone: tutor.timezone || '—' })),
        role() === 'student' && tutor.user ? h('p', h('button', { type: 'button', class: 'secondary', id: 'message-tutor', on: { click: async (e) => {
          e.currentTarget.disabled = true;
          try { ctx.navigate(`/messages/${(await messages.start({ to: tutor.user })).id}`); } catch (err) { e.currentTarget.disabled = false; replace(e.currentTarget.parentNode, errorBox(err)); }
        } } }, t('Send a message'))) : null)),
    tutor.bio ? h('section', { 'aria-labelledby': 'about-h' }, h('h2', { id: 'about-h' }, t('About')), h('p', tutor.bio)) : null,
    h('section', { 'aria-labelledby': 'slots-h' },
      h('h2', { id: 'slots-h' }, t('Book a lesson')),
      bookable
        ? [chosenEl, h('div', { class: 'field short' }, h('label', { for: 'lesson-length' }, t('Lesson length')), lengthSelect), slotsEl]
        : h('p', { class: 'notice warning' }, t('This tutor is not taking bookings yet.'))),
    h('section', { 'aria-labelledby': 'pk-h' }, h('h2', { id: 'pk-h' }, t('Packages')), packagesEl),
    h('section', { 'aria-labelledby': 'rv-h' }, h('h2', { id: 'rv-h' }, t('Reviews')), reviewsEl),
    alsoEl);

  let week = null;
  if (bookable) {
    // staff booking on a student's behalf (from All bookings: ?for=<student>)
    const student = role() === 'admin' && ctx.query.get('for')
      ? await pb.collection('users').getOne(ctx.query.get('for'), { fields: 'id,name,email' }).catch(() => null) : null;
    if (student) chosenEl.before(h('p', { class: 'notice booking-for' }, t('Booking for {name} ({email}).', { name: student.name, email: student.email }), ' ', h('a', { href: '/admin/bookings' }, t('Back to all bookings'))));
    const book = (slot) => openBooking({ tutor, slot, subjectNames: names, student, onChanged: () => week.refresh() });
    week = slotWeek(slotsEl, { tutorId: tutor.id, minutes: initial, chosen: chosen && chosen.start, onPick: book });
    if (chosen) offerChosen(chosenEl, tutor, chosen, book);
  }

  pb.send('/api/search/packages', { query: { tutor: tutor.id, perPage: 50, sort: 'price' } }).then((res) => {
    replace(packagesEl, res.items.length ? h('ul', { class: 'cards' }, res.items.map((p) => h('li', packageCard(p)))) : empty(t('No packages on sale.')));
  }).catch((err) => replace(packagesEl, bookable ? errorBox(err) : empty(t('No packages on sale.'))));

  pb.collection('reviews').getList(1, 20, { filter: pb.filter('tutor = {:id} && hidden = false', { id: tutor.id }), sort: '-created' }).then((res) => {
    replace(reviewsEl, res.items.length ? h('ul', { class: 'list' }, res.items.map((r) => h('li',
      h('div', { class: 'row' }, h('strong', r.student_name || t('A student')), h('span', h('span', { class: 'stars', 'aria-hidden': 'true' }, stars(r.rating)), h('span', { class: 'visually-hidden' }, t('{n} out of 5', { n: r.rating })))),
      r.comment ? h('p', r.comment) : null,
      h('p', { class: 'small muted' }, longDate(r.created))))) : empty(t('No reviews yet.')));
  }).catch((err) => replace(reviewsEl, errorBox(err)));

  if (bookable) {
    pb.send(`/api/tutors/${tutor.id}/also-booked`, { query: { limit: 3 } }).then((res) => {
      if (!res.items || !res.items.length) return;
      replace(alsoEl, h('section', { 'aria-labelledby': 'also-h' }, h('h2', { id: 'also-h' }, t('Students also booked')),
        h('ul', { class: 'tags' }, res.items.map((i) => h('li', h('a', { href: `/tutors/${i.tutor.id}` }, i.tutor.name))))));
    }).catch((e) => console.warn(e));
  }
}

/** The slot a visitor chose before signing in (?slot=&minutes=), or null. */
function chosenSlot(q, lengths) {
  const start = q.get('slot') ? new Date(q.get('slot')) : null;
  const minutes = Number(q.get('minutes'));
  if (!start || Number.isNaN(start.getTime()) || !lengths.includes(minutes)) return null;
  return { start: start.toISOString().replace('.000Z', 'Z'), end: new Date(start.getTime() + minutes * 60000).toISOString().replace('.000Z', 'Z'), minutes };
}

/** Offers the remembered slot again when it is still free, or says it is gone. */
async function offerChosen(el, tutor, chosen, book) {
  const zone = viewerZone();
  const when = timeRange(chosen.start, chosen.end, zone);
  let free = false;
  try {
    const res = await tutorSlots(tutor.id, chosen.start, chosen.end, chosen.minutes);
    free = (res.slots || []).some((s) => new Date(s.start).getTime() === new Date(chosen.start).getTime());
  } catch (e) { console.warn(e); }
  replace(el, free
    ? h('div', { class: 'notice chosen-slot' }, h('p', { class: 'm0' }, t('You chose {time}.', { time: when })),
      h('div', { class: 'actions' }, h('button', { type: 'button', on: { click: () => book({ start: chosen.start, end: chosen.end }) } }, t('Book this time'))))
    : h('p', { class: 'notice warning chosen-slot' }, t('The time you chose, {time}, is no longer free. Please choose another.', { time: when })));
}

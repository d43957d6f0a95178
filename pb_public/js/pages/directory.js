// Visitor: the tutor directory. Filters live in the URL and apply as they
// change (the results reload in place, focus stays on the filter); on a
// phone they fold behind a "Filters" button so the tutors are on the first
// screen.
import { subjects, subjectLabel, role } from '../pb.js';
import { searchTutors } from '../api.js';
import { h, replace } from '../dom.js';
import { t, tv, locale } from '../i18n.js';
import { money, stars, dateTime, toCents } from '../format.js';
import { pageTitle, loading, empty, errorBox, avatar } from '../ui.js';

// Language names: the school's languages from the dictionaries (building
// an Intl.DisplayNames costs a slow phone tens of milliseconds, on the way
// to the first tutor), any other code from Intl.DisplayNames.
export function languageName(code) {
  const name = tv('language', code);
  if (name !== code) return name;
  try { return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) || code; } catch { return code; }
}

const LANGS = ['it', 'en', 'es', 'fr', 'de', 'pt', 'nl', 'pl', 'ro', 'el', 'ru', 'uk', 'tr', 'ar', 'hi', 'zh', 'ja', 'ko'];
const KEYS = ['subject', 'language', 'max_price', 'min_rating', 'free', 'sort'];

export function tutorCard(tu, subjectNames, extra) {
  return h('article', { class: 'card tutor-card' },
    h('div', { class: 'card-head' }, avatar(tu),
      h('div', h('h3', h('a', { href: `/tutors/${tu.id}` }, tu.name || t('Tutor'))),
        tu.headline ? h('p', { class: 'muted m0' }, tu.headline) : null)),
    h('ul', { class: 'tags', 'aria-label': t('Subjects') }, (tu.subjects || []).map((id) => h('li', { class: 'tag' }, subjectNames.get(id) || id))),
    h('p', { class: 'small' }, t('Teaches in {langs}', { langs: (tu.languages || []).map(languageName).join(', ') || '—' })),
    extra || null,
    h('div', { class: 'card-foot' },
      h('span', tu.rating_count
        ? [h('span', { class: 'stars', 'aria-hidden': 'true' }, stars(tu.rating_avg)), ' ',
          h('span', t('{avg} out of 5, {n} reviews', { avg: Number(tu.rating_avg).toFixed(1), n: tu.rating_count }))]
        : h('span', { class: 'muted' }, t('No reviews yet'))),
      h('strong', t('{price} per hour', { price: money(tu.hourly_rate, tu.currency) }))));
}

/** The URL query of the form's filters. */
function filterQuery(form) {
  const fd = new FormData(form);
  const out = new URLSearchParams();
  for (const k of ['subject', 'language', 'min_rating', 'free', 'sort']) if (fd.get(k) && !(k === 'sort' && fd.get(k) === 'relevance')) out.set(k, fd.get(k));
  if (fd.get('max_price') !== '') { const c = toCents(fd.get('max_price')); if (Number.isFinite(c) && c >= 0) out.set('max_price', String(c)); }
  return out;
}

/** The search route's query for URL query q. */
function searchQuery(q) {
  const query = { page: q.get('page') || 1, perPage: 24 };
  for (const k of ['subject', 'language', 'max_price', 'min_rating', 'sort']) if (q.get(k)) query[k] = q.get(k);
  if (q.get('free')) {
    const now = new Date();
    query.free_from = now.toISOString();
    query.free_to = new Date(now.getTime() + Number(q.get('free')) * 86400000).toISOString();
  }
  return query;
}

export default async function directory(ctx) {
  ctx.setTitle(t('Find a tutor'));
  let q = ctx.query;
  const subsReady = subjects().catch(() => []);
  const search = (query) => { const p = searchTutors(searchQuery(query)); p.catch(() => {}); return p; }; // errors shown by show()
  let found = search(q); // side by side with the subjects
  const results = h('section', { id: 'results', class: 'results', 'aria-label': t('Tutors'), 'aria-busy': 'true' }, loading());
  ctx.skipTo('results', t('Skip to results'));
  const subs = await subsReady;
  const subjectNames = new Map(subs.map((s) => [s.id, subjectLabel(s)]));
  const active = KEYS.filter((k) => q.get(k)).length;

  const toggle = h('button', { type: 'button', class: 'secondary filters-toggle', 'aria-expanded': 'false', 'aria-controls': 'filter-fields' },
    t('Filters'), active ? h('span', { class: 'badge-count' }, ` (${active})`) : null);
  const fields = h('div', { id: 'filter-fields', class: 'filter-fields' });
  const form = h('form', { class: 'filters collapsed', role: 'search', 'aria-label': t('Search tutors') },
    h('h2', { class: 'visually-hidden' }, t('Filters')), toggle, fields);
  toggle.addEventListener('click', () => {
    const open = form.classList.toggle('collapsed') === false;
    toggle.setAttribute('aria-expanded', String(open));
  });
  // the filters are built (and forms.js loaded) once the tutors are shown: the tutors come first
  const fillFilters = ({ field }) => replace(fields,
    field({ name: 'subject', label: t('Subject'), type: 'select', value: q.get('subject') || '', options: [['', t('Any subject')], ...subs.map((s) => [s.slug, subjectLabel(s)])] }),
    field({ name: 'language', label: t('Language of the lessons'), type: 'select', value: q.get('language') || '', options: [['', t('Any language')], ...LANGS.map((c) => [c, languageName(c)])] }),
    field({ name: 'max_price', label: t('Highest price per hour'), type: 'number', min: 0, step: 1, inputmode: 'decimal', value: q.get('max_price') ? Number(q.get('max_price')) / 100 : '', hint: t('In euro; leave empty for any price.') }),
    field({ name: 'min_rating', label: t('Rating'), type: 'select', value: q.get('min_rating') || '', options: [['', t('Any rating')], ['4', t('4 stars or more')], ['4.5', t('4.5 stars or more')]] }),
    field({ name: 'free', label: t('Free time'), type: 'select', value: q.get('free') || '', options: [['', t('Any time')], ['3', t('In the next 3 days')], ['7', t('In the next 7 days')], ['14', t('In the next 14 days')]] }),
    field({ name: 'sort', label: t('Sort by'), type: 'select', value: q.get('sort') || 'relevance', options: [['relevance', t('Best rated (relevance)')], ['price', t('Price: low to high')], ['-price', t('Price: high to low')], ['name', t('Name')]] }),
    h('p', { class: 'small muted m0' }, t('Results update as you change a filter.')),
    h('div', { class: 'actions' }, h('a', { href: '/', class: 'button secondary' }, t('Clear filters'))));

  const apply = () => {
    q = filterQuery(form);
    history.replaceState({}, '', '/' + (q.toString() ? `?${q}` : ''));
    found = search(q);
    show();
  };
  form.addEventListener('change', apply);
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });

  replace(ctx.root,
    pageTitle(t('Find a tutor'), h('div', { class: 'head-links' }, h('a', { href: '/find' }, t('Find me a tutor')))),
    h('p', { class: 'muted intro' }, t('Choose a tutor, see their free times in your time zone and book a lesson.')),
    h('div', { class: 'split' }, form, results));

  async function show() {
    const mine = found;
    results.setAttribute('aria-busy', 'true');
    try {
      const res = await mine;
      if (!ctx.isCurrent() || mine !== found) return;
      results.setAttribute('aria-busy', 'false');
      if (!res.items.length) {
        const filtered = KEYS.some((k) => q.get(k)) || Number(q.get('page') || 1) > 1;
        replace(results, h('p', { role: 'status', class: 'visually-hidden' }, t('No tutor found')),
          filtered ? empty(t('No tutor matches these filters. Try fewer filters.')) : emptySchool(subs.length));
        return;
      }
      replace(results,
        h('p', { class: 'muted', role: 'status' }, t('{n} tutors found', { n: res.totalItems })),
        h('ul', { class: 'cards' }, res.items.map((tu) => h('li', tutorCard(tu, subjectNames,
          tu.next_free ? h('p', { class: 'small' }, t('Next free: {when}', { when: dateTime(tu.next_free) })) : null)))),
        res.totalPages > 1 ? pager(res, q, ctx) : null);
    } catch (err) {
      if (mine !== found) return;
      results.setAttribute('aria-busy', 'false');
      replace(results, errorBox(err));
    }
  }
  await show();
  const forms = await import('../forms.js');
  if (ctx.isCurrent()) fillFilters(forms);
}

function pager(res, q, ctx) {
  const go = (p) => { const n = new URLSearchParams(q); n.set('page', p); ctx.navigate(`/?${n}`); };
  return h('nav', { class: 'pager', 'aria-label': t('Pages') },
    h('button', { type: 'button', class: 'secondary', disabled: res.page <= 1, on: { click: () => go(res.page - 1) } }, t('Previous')),
    h('span', t('Page {page} of {pages}', { page: res.page, pages: res.totalPages })),
    h('button', { type: 'button', class: 'secondary', disabled: res.page >= res.totalPages, on: { click: () => go(res.page + 1) } }, t('Next')));
}

/** The directory of a school with no tutor listed yet: says so, and shows staff where tutors and subjects are added. */
function emptySchool(subjectCount) {
  if (role() !== 'admin') {
    return h('div', { class: 'notice empty-school' }, h('p', { class: 'm0' }, t('No tutors are listed yet. Please come back soon.')),
      role() === 'visitor' ? h('p', { class: 'm0' }, h('a', { href: '/signup?role=tutor' }, t('Are you a tutor? Create your account.'))) : null);
  }
  return h('div', { class: 'notice empty-school' },
    h('p', h('strong', t('No tutors are listed yet.'))),
    h('ul', { class: 'm0' },
      h('li', subjectCount ? t('The subjects tutors choose from are listed and added under') : t('First add the subjects your school teaches, under'), ' ', h('a', { href: '/admin/tutors#subjects' }, t('Subjects'))),
      h('li', t('Tutors create their account as tutors on the sign-up page:'), ' ', h('a', { href: '/signup?role=tutor' }, t('sign-up as a tutor'))),
      h('li', t('Then you check and verify them:'), ' ', h('a', { href: '/admin/tutors' }, t('Verification')))));
}

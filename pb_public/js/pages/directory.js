// Visitor: the tutor directory, with search filters kept in the URL.
import { pb, subjects } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, locale } from '../i18n.js';
import { money, stars, dateTime, toCents } from '../format.js';
import { pageTitle, loading, empty, errorBox } from '../ui.js';
import { field } from '../forms.js';

export function languageName(code) {
  try { return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) || code; } catch { return code; }
}

const LANGS = ['it', 'en', 'es', 'fr', 'de', 'pt', 'nl', 'pl', 'ro', 'el', 'ru', 'uk', 'tr', 'ar', 'hi', 'zh', 'ja', 'ko'];

export function tutorCard(tu, subjectNames, extra) {
  return h('article', { class: 'card tutor-card' },
    h('h3', h('a', { href: `/tutors/${tu.id}` }, tu.name || t('Tutor'))),
    tu.headline ? h('p', { class: 'muted' }, tu.headline) : null,
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

export default async function directory(ctx) {
  ctx.setTitle(t('Find a tutor'));
  const q = ctx.query;
  const results = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const subs = await subjects().catch(() => []);
  const subjectNames = new Map(subs.map((s) => [s.id, s.name]));

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('Search tutors') },
    h('h2', { class: 'visually-hidden' }, t('Filters')),
    field({ name: 'subject', label: t('Subject'), type: 'select', value: q.get('subject') || '', options: [['', t('Any subject')], ...subs.map((s) => [s.slug, s.name])] }),
    field({ name: 'language', label: t('Language of the lessons'), type: 'select', value: q.get('language') || '', options: [['', t('Any language')], ...LANGS.map((c) => [c, languageName(c)])] }),
    field({ name: 'max_price', label: t('Highest price per hour'), type: 'number', min: 0, step: 1, inputmode: 'decimal', value: q.get('max_price') ? Number(q.get('max_price')) / 100 : '', hint: t('In euro; leave empty for any price.') }),
    field({ name: 'min_rating', label: t('Rating'), type: 'select', value: q.get('min_rating') || '', options: [['', t('Any rating')], ['4', t('4 stars or more')], ['4.5', t('4.5 stars or more')]] }),
    field({ name: 'free', label: t('Free time'), type: 'select', value: q.get('free') || '', options: [['', t('Any time')], ['3', t('In the next 3 days')], ['7', t('In the next 7 days')], ['14', t('In the next 14 days')]] }),
    field({ name: 'sort', label: t('Sort by'), type: 'select', value: q.get('sort') || 'relevance', options: [['relevance', t('Best rated (relevance)')], ['price', t('Price: low to high')], ['-price', t('Price: high to low')], ['name', t('Name')]] }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Search')), h('a', { href: '/', class: 'button secondary' }, t('Clear'))));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const out = new URLSearchParams();
    for (const k of ['subject', 'language', 'min_rating', 'free', 'sort']) if (fd.get(k) && !(k === 'sort' && fd.get(k) === 'relevance')) out.set(k, fd.get(k));
    if (fd.get('max_price') !== '') { const c = toCents(fd.get('max_price')); if (Number.isFinite(c) && c >= 0) out.set('max_price', String(c)); }
    ctx.navigate('/' + (out.toString() ? `?${out}` : ''));
  });

  replace(ctx.root,
    pageTitle(t('Find a tutor')),
    h('p', { class: 'muted' }, t('Choose a tutor, see their free times in your time zone and book a lesson.')),
    h('div', { class: 'split' }, form, h('section', { 'aria-label': t('Tutors') }, results)));

  const query = { page: q.get('page') || 1, perPage: 24 };
  for (const k of ['subject', 'language', 'max_price', 'min_rating', 'sort']) if (q.get(k)) query[k] = q.get(k);
  if (q.get('free')) {
    const now = new Date();
    query.free_from = now.toISOString();
    query.free_to = new Date(now.getTime() + Number(q.get('free')) * 86400000).toISOString();
  }
  try {
    const res = await pb.send('/api/search/tutors', { query });
    if (!ctx.isCurrent()) return;
    results.setAttribute('aria-busy', 'false');
    if (!res.items.length) { replace(results, empty(t('No tutor matches these filters. Try fewer filters.'))); return; }
    replace(results,
      h('p', { class: 'muted', role: 'status' }, t('{n} tutors found', { n: res.totalItems })),
      h('ul', { class: 'cards' }, res.items.map((tu) => h('li', tutorCard(tu, subjectNames,
        tu.next_free ? h('p', { class: 'small' }, t('Next free: {when}', { when: dateTime(tu.next_free) })) : null)))),
      res.totalPages > 1 ? pager(res, q, ctx) : null);
  } catch (err) {
    results.setAttribute('aria-busy', 'false');
    replace(results, errorBox(err));
  }
}

function pager(res, q, ctx) {
  const go = (p) => { const n = new URLSearchParams(q); n.set('page', p); ctx.navigate(`/?${n}`); };
  return h('nav', { class: 'pager', 'aria-label': t('Pages') },
    h('button', { type: 'button', class: 'secondary', disabled: res.page <= 1, on: { click: () => go(res.page - 1) } }, t('Previous')),
    h('span', t('Page {page} of {pages}', { page: res.page, pages: res.totalPages })),
    h('button', { type: 'button', class: 'secondary', disabled: res.page >= res.totalPages, on: { click: () => go(res.page + 1) } }, t('Next')));
}

// "Find me a tutor": a short wizard (subject, level, goals, language,
// budget, preferred times) that asks the match engine for the best tutors,
// shows why each fits, and books a first lesson at their first free time
// through the usual booking dialog (docs/insight.md, Assistance).
import { pb, subjects, subjectLabel, currentUser, role } from '../pb.js';
import { matchTutors } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime, toCents, viewerZone } from '../format.js';
import { pageTitle, errorBox, empty, loading } from '../ui.js';
import { field, checkGroup, checkedValues, errorSummary, showErrors, busy } from '../forms.js';
import { openBooking } from '../booking.js';
import { tutorCard, languageName } from './directory.js';

const DAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];
const PARTS = [['morning', 'Mornings (8–12)'], ['afternoon', 'Afternoons (12–17)'], ['evening', 'Evenings (17–21)']];
const LANGS = ['it', 'en', 'es', 'fr', 'de'];
const MINUTES = 60;
const SHOWN = 5;

/** The student's own level and goals, to start from; {} for others. */
async function myProfile() {
  const u = currentUser();
  if (!u || role() !== 'student') return {};
  try { return await pb.collection('students').getFirstListItem(pb.filter('user = {:u}', { u: u.id })); } catch { return {}; }
}

export default async function find(ctx) {
  ctx.setTitle(t('Find me a tutor'));
  const [subs, me] = await Promise.all([subjects().catch(() => []), myProfile()]);
  const subjectNames = new Map(subs.map((s) => [s.id, subjectLabel(s)]));
  const results = h('section', { id: 'matches', 'aria-live': 'polite', 'aria-label': t('Your tutors') });
  const form = h('form', { class: 'wizard', novalidate: true },
    errorSummary(),
    field({ name: 'subject', label: t('Subject'), type: 'select', options: [['', t('Any subject')], ...subs.map((s) => [s.slug, subjectLabel(s)])] }),
    field({ name: 'level', label: t('Your level'), value: me.level || '', maxlength: 100, hint: t('As you would say it: "liceo scientifico", "B2", "university".') }),
    field({ name: 'goals', label: t('Your goals'), type: 'textarea', rows: 3, value: me.goals || '', maxlength: 500, hint: t('What you want to reach; tutors whose profile mentions it rank higher.') }),
    field({ name: 'language', label: t('Language of the lessons'), type: 'select', options: [['', t('Any language')], ...LANGS.map((c) => [c, languageName(c)])] }),
    field({ name: 'max_price', label: t('Highest price per hour'), type: 'number', min: 0, step: 1, inputmode: 'decimal', hint: t('In euro; leave empty for any price.') }),
    checkGroup({ name: 'days', legend: t('Days that suit you'), options: DAYS.map(([v, l]) => [v, t(l)]) }),
    checkGroup({ name: 'parts', legend: t('Times of day that suit you'), options: PARTS.map(([v, l]) => [v, t(l)]), hint: t('Looked for in the next two weeks, in your time zone.') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Show my tutors'))));
  form.addEventListener('submit', (e) => { e.preventDefault(); busy(form, () => search(form, results, subjectNames)); });
  replace(ctx.root, pageTitle(t('Find me a tutor')),
    h('p', { class: 'muted intro' }, t('Tell us what you need: we rank the tutors and say why each one fits.')),
    h('div', { class: 'split' }, form, results));
}

/** The match route's query for the wizard's answers. */
function matchQuery(form) {
  const fd = new FormData(form);
  const q = { limit: SHOWN, minutes: MINUTES };
  for (const k of ['subject', 'level', 'goals', 'language']) if (String(fd.get(k) || '').trim()) q[k] = String(fd.get(k)).trim();
  if (fd.get('max_price') !== '') { const c = toCents(fd.get('max_price')); if (Number.isFinite(c) && c >= 0) q.max_price = c; }
  // no day (or part) ticked is any day (or part): free time is always measured, so each tutor has a first free lesson
  const days = checkedValues(form, 'days');
  const parts = checkedValues(form, 'parts');
  const ds = days.length ? days : DAYS.map(([v]) => v);
  const ps = parts.length ? parts : PARTS.map(([v]) => v);
  q.times = ds.flatMap((d) => ps.map((p) => `${d}-${p}`)).join(',');
  q.timezone = viewerZone();
  return q;
}

async function search(form, results, subjectNames) {
  replace(results, loading());
  let res;
  try { res = await matchTutors(matchQuery(form)); } catch (err) {
    showErrors(form, err, { aliases: { times: 'days', timezone: 'parts' } });
    replace(results, errorBox(err));
    return;
  }
  if (!res.items.length) { replace(results, empty(t('No tutor fits yet. Try another subject or a higher price.'))); return; }
  replace(results,
    h('h2', t('Your tutors')),
    h('ol', { class: 'cards' }, res.items.map((it) => h('li', tutorCard(it.tutor, subjectNames, reasonsOf(it, subjectNames))))));
}

/** Why a tutor fits (the match's reasons, strongest first), and their first free lesson. */
function reasonsOf(it, subjectNames) {
  const reasons = [...it.reasons].sort((a, b) => b.weight - a.weight);
  const tutor = { ...it.tutor, timezone: it.timezone };
  const slot = it.next_free ? { start: it.next_free, end: new Date(new Date(it.next_free).getTime() + MINUTES * 60000).toISOString() } : null;
  return h('div', { class: 'match-why' },
    h('p', { class: 'small m0' }, h('strong', t('Why: {score}% fit', { score: Math.round(it.score * 100) }))),
    h('ul', { class: 'small reasons' }, reasons.map((r) => h('li', { class: r.weight > 0 ? null : 'muted', dataset: { code: r.code } }, r.text))),
    slot
      ? h('button', { type: 'button', class: 'book-first', on: { click: () => openBooking({ tutor, slot, subjectNames }) } },
        t('Book a first lesson on {when}', { when: dateTime(slot.start) }))
      : h('p', { class: 'small muted' }, t('No free time in the times you chose.')));
}

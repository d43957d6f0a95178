// Staff: the follow-up sequences (docs/insight.md): for each trigger, when
// it fires, whether it is on, its words in every language, and how many
// were sent, opened, followed by a booking and unsubscribed from.
import { pb } from '../pb.js';
import { sequences } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, loading, errorBox, toast, table } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';

const LANGS = () => [['en', t('English')], ['it', t('Italian')]];

/** What each trigger is and when it fires (internal/app/sequences). */
export const TRIGGERS = () => ({
  welcome: [t('Welcome'), t('A student who signed up, within the following week.')],
  first_lesson: [t('Book your first lesson'), t('A student who signed up 3 days ago and has no lesson yet.')],
  win_back: [t('Win-back'), t('A student whose last lesson was 30 days ago, with none since or ahead.')],
  package_low: [t('Package running out'), t('A student with one lesson left in a package, or a package expiring within a week.')],
  review_request: [t('Review request'), t('A student whose third lesson ended in the last 14 days and who has not written a review.')],
  report_nudge: [t('Missing lesson reports'), t('A tutor with a lesson that ended over 2 days ago and has no report.')],
});

export default async function adminSequences(ctx) {
  ctx.setTitle(t('Follow-up messages'));
  const out = h('div', loading());
  replace(ctx.root, pageTitle(t('Follow-up messages'), h('div', { class: 'head-links' }, h('a', { href: '/admin/reports' }, t('Reports')))),
    h('p', { class: 'muted' }, t('Messages the school sends by itself, once per person, on the channels each person chose and outside their quiet hours. Each has an unsubscribe link.')),
    out);
  try {
    const res = await sequences.list();
    if (!ctx.isCurrent()) return;
    replace(out, countsTable(res), ...res.sequences.map((s) => sequenceCard(s)));
  } catch (err) { replace(out, errorBox(err)); }
}

function countsTable(res) {
  const names = TRIGGERS();
  return table([t('Sequence'), t('On'), t('Sent'), t('Opened'), t('Booked within {n} days', { n: res.booked_within_days }), t('Unsubscribed')],
    res.sequences.map((s) => h('tr', { dataset: { trigger: s.trigger } }, h('td', names[s.trigger]?.[0] || s.trigger),
      [s.active ? t('Yes') : t('No'), s.sent, s.opened, s.booked_after, s.unsubscribed].map((v) => h('td', String(v))))),
    { caption: t('Counts since each sequence was first turned on') });
}

/** One sequence: on/off and its words per language, saved together. */
function sequenceCard(s) {
  const [name, when] = TRIGGERS()[s.trigger] || [s.trigger, ''];
  const texts = s.texts || {};
  const form = h('form', { class: 'card', novalidate: true, dataset: { trigger: s.trigger } },
    h('h2', name), h('p', { class: 'muted' }, when),
    errorSummary(),
    field({ name: 'active', label: t('On: send it to everyone it is due for'), type: 'checkbox', value: s.active }),
    // each language's words folded under their title, so the page lists
    // the sequences first
    LANGS().map(([l, label]) => h('details', { class: 'field words', dataset: { lang: l } },
      h('summary', `${label}: ${texts[l]?.title || t('no words yet')}`),
      field({ name: `title_${l}`, label: t('Title'), value: texts[l]?.title || '', maxlength: 150, required: true }),
      field({ name: `body_${l}`, label: t('Text'), type: 'textarea', rows: 4, value: texts[l]?.body || '', maxlength: 4000, required: true,
        hint: t('A blank line starts a new paragraph. The greeting, the link and the unsubscribe link are added.') }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const el = form.elements;
      const words = Object.fromEntries(LANGS().map(([l]) => [l, { title: el[`title_${l}`].value, body: el[`body_${l}`].value }]));
      try {
        await pb.collection('sequences').update(s.id, { active: el.active.checked, texts: words });
        toast(t('Saved.'));
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

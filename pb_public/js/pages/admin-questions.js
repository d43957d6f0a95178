// Admin: the questions the help assistant could not answer (most asked
// first), each turned into an FAQ entry or dismissed, and the FAQ itself
// (docs/insight.md, Assistance).
import { pb } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, toast } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';

const LANGS = () => [['it', t('Italian')], ['en', t('English')]];

export default async function adminQuestions(ctx) {
  ctx.setTitle(t('Questions'));
  const open = h('div', loading());
  const entries = h('div', loading());
  const add = entryForm({}, async (data) => { await pb.collection('faq').create(data); toast(t('FAQ entry saved.')); loadEntries(); });
  replace(ctx.root, pageTitle(t('Questions')),
    h('p', { class: 'muted' }, t('Questions the help assistant could not answer. Write the answer once and it answers everyone who asks.')),
    h('h2', t('Unanswered questions')), open,
    h('h2', t('FAQ entries')), entries,
    h('h3', t('Add an FAQ entry')), add);

  async function loadOpen() {
    try {
      const res = await pb.collection('assistant_questions').getList(1, 50, { filter: 'status = "open"', sort: '-asked,-updated' });
      if (!ctx.isCurrent()) return;
      replace(open, res.items.length ? h('ul', { class: 'cards' }, res.items.map((q) => h('li', { class: 'card', dataset: { id: q.id } },
        h('p', h('strong', q.question)),
        h('p', { class: 'small muted' }, t('Asked {n} times, last {when}', { n: q.asked, when: dateTime(q.updated) })),
        entryForm({ question: q.question, language: q.language }, async (data) => {
          const f = await pb.collection('faq').create(data);
          await pb.collection('assistant_questions').update(q.id, { status: 'answered', faq: f.id });
          toast(t('FAQ entry saved.'));
          loadOpen(); loadEntries();
        }),
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          try { await pb.collection('assistant_questions').update(q.id, { status: 'dismissed' }); loadOpen(); } catch (e) { toast(e.message, { error: true }); }
        } } }, t('Dismiss'))))) : empty(t('Nothing to answer.')));
    } catch (err) { replace(open, errorBox(err)); }
  }
  async function loadEntries() {
    try {
      const res = await pb.collection('faq').getList(1, 200, { sort: 'language,question' });
      if (!ctx.isCurrent()) return;
      replace(entries, res.items.length ? h('dl', { class: 'faq' }, res.items.flatMap((f) => [
        h('dt', `${f.question} (${f.language})`),
        h('dd', f.answer, ' ', h('button', { type: 'button', class: 'linklike', on: { click: async () => {
          try { await pb.collection('faq').delete(f.id); loadEntries(); } catch (e) { toast(e.message, { error: true }); }
        } } }, t('Delete')))])) : empty(t('No entries yet.')));
    } catch (err) { replace(entries, errorBox(err)); }
  }
  loadOpen();
  loadEntries();
}

/** A form for an FAQ entry (question, answer, language) that calls save with its data. */
function entryForm(v, save) {
  const form = h('form', { novalidate: true },
    errorSummary(),
    field({ name: 'question', label: t('Question'), value: v.question || '', maxlength: 300, required: true }),
    field({ name: 'answer', label: t('Answer'), type: 'textarea', rows: 3, maxlength: 4000, required: true }),
    field({ name: 'language', label: t('Language'), type: 'select', value: v.language || 'it', options: LANGS() }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save as FAQ entry'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => { try { await save(Object.fromEntries(new FormData(form))); form.reset(); } catch (err) { showErrors(form, err); } });
  });
  return form;
}

// Help: the assistant answers a question from the school's FAQ, or from
// the person's own lessons and credits ("When is my next lesson?"), and
// shows what the answer comes from; below, the FAQ itself
// (docs/insight.md, Assistance).
import { pb } from '../pb.js';
import { askAssistant } from '../api.js';
import { h, replace } from '../dom.js';
import { t, lang } from '../i18n.js';
import { pageTitle, errorBox, empty } from '../ui.js';
import { field, errorSummary, showErrors, clearErrors, busy } from '../forms.js';

export default async function help(ctx) {
  ctx.setTitle(t('Help'));
  const answer = h('section', { id: 'answer', 'aria-live': 'polite', 'aria-label': t('Answer') });
  const form = h('form', { class: 'ask', novalidate: true },
    errorSummary(),
    field({ name: 'question', label: t('Your question'), maxlength: 500, required: true,
      hint: t('For example: When is my next lesson? How many credits do I have? How do I cancel a lesson?') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Ask'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const res = await askAssistant(new FormData(form).get('question'));
        clearErrors(form);
        replace(answer, answerBox(res));
      } catch (err) { showErrors(form, err); }
    });
  });
  const faqList = h('div');
  replace(ctx.root, pageTitle(t('Help')),
    h('p', { class: 'muted intro' }, t('Ask the assistant: it answers from the school\'s FAQ and from your own lessons and credits, and shows where the answer comes from.')),
    form, answer,
    h('h2', { id: 'faq-h' }, t('Frequently asked questions')), faqList);
  try {
    const entries = await pb.collection('faq').getFullList({ sort: 'question', filter: pb.filter('language = {:l}', { l: lang() === 'it' ? 'it' : 'en' }) });
    if (!ctx.isCurrent()) return;
    replace(faqList, entries.length
      ? h('dl', { class: 'faq' }, entries.flatMap((f) => [h('dt', { id: `faq-${f.id}` }, f.question), h('dd', f.answer)]))
      : empty(t('The school has not written any yet.')));
  } catch (err) { replace(faqList, errorBox(err)); }
}

function answerBox(res) {
  return h('div', { class: 'card answer' },
    h('p', { class: 'assistant-answer' }, res.answer),
    res.phrased ? h('p', { class: 'small muted' }, t('Written by a language model from the sources below only.')) : null,
    res.sources.length
      ? [h('p', { class: 'small m0' }, h('strong', t('Sources'))), h('ul', { class: 'small sources' }, res.sources.map((s) => h('li', h('a', { href: s.link }, s.title))))]
      : h('p', { class: 'small muted' }, t('The school will see your question and add an answer.')));
}

// The unsubscribe link of a follow-up message (docs/insight.md): works
// without signing in, the link's signed token says who and which sequence.
import { sequences } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, loading, errorBox } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { TRIGGERS } from './admin-sequences.js';

function done(all) {
  return h('div', { class: 'notice success', role: 'status' },
    all ? t('Done: the school will send you no more follow-up messages.') : t('Done: you will not get these messages any more.'));
}

export default async function unsubscribe(ctx) {
  ctx.setTitle(t('Unsubscribe'));
  const token = ctx.query.get('token') || '';
  const out = h('div', loading());
  replace(ctx.root, pageTitle(t('Unsubscribe')), out);
  let state;
  try {
    state = await sequences.state(token);
  } catch (err) { replace(out, errorBox(err)); return; }
  if (!ctx.isCurrent()) return;
  const name = TRIGGERS()[state.sequence]?.[0] || state.sequence;
  if (state.unsubscribed && state.all) { replace(out, done(true)); return; }
  const form = h('form', { class: 'card', novalidate: true },
    errorSummary(),
    h('p', state.unsubscribed ? t('You no longer get the “{name}” messages.', { name }) : t('Stop the “{name}” messages from the school?', { name })),
    field({ name: 'all', label: t('Stop every follow-up message from the school'), type: 'checkbox', value: state.unsubscribed }),
    h('p', { class: 'muted small' }, t('Messages about your lessons, payments and account still come.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Unsubscribe'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const res = await sequences.unsubscribe(token, form.elements.all.checked);
        replace(out, done(res.all));
      } catch (err) { showErrors(form, err); }
    });
  });
  replace(out, form);
}

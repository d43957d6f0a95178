// Tutor: the packages editor (draft → published ⇄ archived).
import { pb, myTutor, subjectNames } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { money, toCents, fromCents } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, openDialog, toast, confirmDialog } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';

function packageForm(tutor, names, p, onSaved, close) {
  const currency = (p && p.currency) || tutor.currency || 'EUR';
  const lengths = Array.isArray(tutor.lesson_minutes) && tutor.lesson_minutes.length ? tutor.lesson_minutes : [60];
  const statuses = !p || p.status === 'draft' ? ['draft', 'published'] : ['published', 'archived'];
  const form = h('form', { novalidate: true }, errorSummary(),
    field({ name: 'title', label: t('Title'), required: true, value: p ? p.title : '', minlength: 3, maxlength: 120 }),
    field({ name: 'description', label: t('Description'), type: 'textarea', value: p ? p.description : '', maxlength: 5000 }),
    h('div', { class: 'grid-form' },
      field({ name: 'subject', label: t('Subject'), type: 'select', value: p ? p.subject : (tutor.subjects || [])[0] || '', options: [['', t('None')], ...(tutor.subjects || []).map((s) => [s, names.get(s) || s])] }),
      field({ name: 'lessons', label: t('Lessons'), type: 'number', min: 1, max: 200, required: true, value: p ? p.lessons : 10 }),
      field({ name: 'minutes', label: t('Minutes per lesson'), type: 'select', value: p ? p.minutes : (lengths.includes(60) ? 60 : lengths[0]), options: lengths.map((m) => [m, t('{n} minutes', { n: m })]) }),
      field({ name: 'price', label: t('Price of the whole package ({currency})', { currency }), type: 'text', inputmode: 'decimal', required: true, value: p ? fromCents(p.price, currency) : '' }),
      field({ name: 'discount_percent', label: t('Discount (%)'), type: 'number', min: 0, max: 90, value: p ? p.discount_percent : 0 }),
      field({ name: 'valid_days', label: t('Valid for (days after payment)'), type: 'number', min: 1, max: 730, required: true, value: p ? p.valid_days : 90 }),
      field({ name: 'status', label: t('Status'), type: 'select', value: p ? p.status : 'draft', options: statuses.map((s) => [s, tv('status', s)]) })),
    h('p', { class: 'small muted' }, t('Editing a package never changes what was already sold. A published package cannot go back to draft.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, p ? t('Save package') : t('Create package')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const fd = new FormData(form);
      const price = toCents(fd.get('price'), currency);
      const data = {
        title: fd.get('title').trim(), description: fd.get('description'), subject: fd.get('subject'), lessons: Number(fd.get('lessons')),
        minutes: Number(fd.get('minutes')), price: Number.isFinite(price) ? price : fd.get('price'), discount_percent: Number(fd.get('discount_percent') || 0),
        valid_days: Number(fd.get('valid_days')), status: fd.get('status'), currency,
      };
      try {
        if (p) await pb.collection('packages').update(p.id, data);
        else await pb.collection('packages').create({ ...data, tutor: tutor.id });
        toast(t('Package saved.'));
        close();
        onSaved();
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

export default async function packages(ctx) {
  ctx.setTitle(t('Packages'));
  const tutor = await myTutor(true);
  const names = await subjectNames().catch(() => new Map());
  const listEl = h('div', loading());
  const edit = (p) => openDialog(p ? t('Edit package') : t('New package'), (body, close) => body.append(packageForm(tutor, names, p, load, close)));
  replace(ctx.root, pageTitle(t('Packages'), tutor.verified ? h('button', { type: 'button', on: { click: () => edit(null) } }, t('New package')) : null),
    tutor.verified ? h('p', { class: 'muted' }, t('Sell lessons in bundles. Students pay once and book with credits.')) : h('p', { class: 'notice warning' }, t('You can create packages once the school has verified your profile.')),
    listEl);
  async function load() {
    try {
      const list = await pb.collection('packages').getFullList({ filter: pb.filter('tutor = {:id}', { id: tutor.id }), sort: '-created' });
      if (!ctx.isCurrent()) return;
      replace(listEl, list.length ? h('ul', { class: 'cards' }, list.map((p) => h('li', h('article', { class: 'card' },
        h('div', { class: 'row' }, h('h2', { class: 'card-title' }, p.title), pill('status', p.status)),
        h('p', t('{lessons} lessons of {minutes} minutes', { lessons: p.lessons, minutes: p.minutes })),
        h('p', h('strong', money(p.effective_price ?? p.price, p.currency)), p.discount_percent ? ` (${money(p.price, p.currency)} −${p.discount_percent}%)` : ''),
        h('div', { class: 'card-foot' },
          h('button', { type: 'button', class: 'secondary', on: { click: () => edit(p) } }, t('Edit')),
          p.status === 'draft' ? h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
            if (!await confirmDialog(t('Delete this draft?'), p.title, { confirm: t('Delete'), danger: true })) return;
            try { await pb.collection('packages').delete(p.id); load(); } catch (e) { toast(e.message, { error: true }); }
          } } }, t('Delete')) : null))))) : empty(t('No packages yet.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  await load();
}

// Admin: the subscription plans (docs/payments.md, Plans and subscriptions).
// The list with each plan's running subscriptions, a form for a new one,
// and taking a plan off sale (running subscriptions go on; a plan is never
// deleted: subscriptions and invoices name it).
import { pb, school } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { money, toCents } from '../format.js';
import { pageTitle, loading, empty, errorBox, table, toast } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';

function newPlanForm({ currency, subjects, tutors }, onSaved) {
  const any = (label, list) => [['', label], ...list];
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('h2', t('New plan')),
    h('div', { class: 'grid-form' },
      field({ name: 'title', label: t('Title'), required: true, maxlength: 120 }),
      field({ name: 'description', label: t('Description'), maxlength: 500 }),
      field({ name: 'credits', label: t('Lesson credits each period'), type: 'number', min: 1, max: 200, required: true }),
      field({ name: 'interval', label: t('Period'), type: 'select', value: 'month', options: [['month', tv('interval', 'month')], ['week', tv('interval', 'week')]] }),
      field({ name: 'price', label: t('Price each period ({currency})', { currency }), inputmode: 'decimal', required: true }),
      field({ name: 'minutes', label: t('Minutes of each lesson'), type: 'number', min: 0, max: 480, hint: t('0: any length') }),
      field({ name: 'rollover_max', label: t('Unused credits that roll over'), type: 'number', min: 0, max: 200, hint: t('0: none') }),
      field({ name: 'grace_days', label: t('Days of lessons after a failed payment'), type: 'number', min: 0, max: 60 }),
      field({ name: 'subject', label: t('Subject'), type: 'select', options: any(t('Any subject'), subjects.map((s) => [s.id, s.name])) }),
      field({ name: 'tutor', label: t('Tutor'), type: 'select', options: any(t('Any tutor'), tutors) })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Create plan'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const f = form.elements;
      const body = {
        title: f.title.value.trim(), description: f.description.value.trim(), active: true, currency, interval: f.interval.value,
        credits: Number(f.credits.value) || 0, price: toCents(f.price.value, currency) || 0, minutes: Number(f.minutes.value) || 0,
        rollover_max: Number(f.rollover_max.value) || 0, grace_days: Number(f.grace_days.value) || 0, subject: f.subject.value, tutor: f.tutor.value,
      };
      try {
        await pb.collection('plans').create(body);
        clearErrors(form); form.reset();
        toast(t('Plan created.'));
        onSaved();
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

export default async function adminPlans(ctx) {
  ctx.setTitle(t('Plans'));
  const listEl = h('div', loading());
  const [sc, subjects, tutorRecords] = await Promise.all([
    school().catch(() => ({ currency: 'EUR' })),
    pb.collection('subjects').getFullList({ sort: 'name', requestKey: null }).catch(() => []),
    pb.collection('tutors').getFullList({ expand: 'user', requestKey: null }).catch(() => []),
  ]);
  if (!ctx.isCurrent()) return;
  const tutors = tutorRecords.map((x) => [x.id, x.expand?.user?.name || x.id]).sort((a, b) => a[1].localeCompare(b[1]));
  const names = Object.fromEntries([...subjects.map((s) => [s.id, s.name]), ...tutors]);
  async function setActive(p, active) {
    try { await pb.collection('plans').update(p.id, { active }); toast(active ? t('The plan is on sale again.') : t('The plan is off sale.')); load(); } catch (e) { toast(e.message, { error: true }); }
  }
  async function load() {
    try {
      const [list, subs] = await Promise.all([
        pb.collection('plans').getFullList({ sort: '-active,price' }),
        pb.collection('subscriptions').getFullList({ filter: 'status = "active" || status = "past_due"', fields: 'plan' }),
      ]);
      if (!ctx.isCurrent()) return;
      const running = {};
      for (const s of subs) running[s.plan] = (running[s.plan] || 0) + 1;
      replace(listEl, list.length ? table([t('Plan'), t('Price'), t('Credits'), t('For'), { text: t('Running subscriptions'), class: 'num' }, t('Status'), t('Actions')],
        list.map((p) => h('tr', { dataset: { id: p.id } },
          h('td', h('strong', p.title), p.description ? h('div', { class: 'small muted' }, p.description) : null),
          h('td', `${money(p.price, p.currency)} / ${tv('interval', p.interval)}`),
          h('td', t('{n} lesson credits per {interval}', { n: p.credits, interval: tv('interval', p.interval) }),
            p.minutes ? h('div', { class: 'small muted' }, t('Lessons of {n} minutes', { n: p.minutes })) : null,
            p.rollover_max ? h('div', { class: 'small muted' }, t('Up to {n} unused credits roll over', { n: p.rollover_max })) : null),
          h('td', [names[p.subject], names[p.tutor]].filter(Boolean).join(', ') || t('any lesson')),
          h('td', { class: 'num' }, String(running[p.id] || 0)),
          h('td', p.active ? t('On sale') : t('Off sale')),
          h('td', p.active ? h('button', { type: 'button', class: 'danger secondary', on: { click: () => setActive(p, false) } }, t('Take off sale'))
            : h('button', { type: 'button', class: 'secondary', on: { click: () => setActive(p, true) } }, t('Put on sale'))))),
        { caption: t('Plans') }) : empty(t('No plans yet.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  replace(ctx.root, pageTitle(t('Plans'), h('div', { class: 'head-links' }, h('a', { href: '/plans' }, t('The plans as payers see them')))),
    h('p', { class: 'muted' }, t('A plan gives lesson credits every month or week for a price. Taking a plan off sale stops new subscriptions; running ones go on.')),
    newPlanForm({ currency: sc.currency || 'EUR', subjects, tutors }, load), h('h2', t('All plans')), listEl);
  await load();
}

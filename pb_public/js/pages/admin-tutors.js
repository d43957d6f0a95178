// Admin: the tutor verification queue and every tutor's status.
import { pb, subjectNames, forgetSubjects } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { longDate, money } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, toast, confirmDialog } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { suggestionsBox } from '../suggestions.js';

export default async function adminTutors(ctx) {
  ctx.setTitle(t('Tutor verification'));
  const names = await subjectNames().catch(() => new Map());
  const queueEl = h('div', loading());
  const allEl = h('div', loading());
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  replace(ctx.root, pageTitle(t('Tutor verification')), live,
    h('section', { 'aria-labelledby': 'q-h' }, h('h2', { id: 'q-h' }, t('Waiting for verification')), queueEl),
    h('section', { 'aria-labelledby': 'a-h' }, h('h2', { id: 'a-h' }, t('All tutors')), allEl),
    subjectsSection(),
    suggestionsBox());

  async function update(tu, data, message) {
    try { await pb.collection('tutors').update(tu.id, data); toast(message); live.textContent = message; load(); } catch (e) { toast((e.response && e.response.message) || e.message, { error: true }); }
  }

  function card(tu, queue, windows) {
    const u = tu.expand && tu.expand.user;
    const checks = queue ? checklist(tu, u, windows, names) : [];
    const verify = async () => {
      const missing = checks.filter((c) => !c.ok);
      if (missing.length && !await confirmDialog(t('Verify {name} with an incomplete profile?', { name: tu.name }),
        h('div', h('p', t('Still missing:')), h('ul', missing.map((c) => h('li', c.text))), h('p', t('Students will see the profile as it is, and may not be able to book.'))),
        { confirm: t('Verify anyway') })) return;
      update(tu, { verified: true, status: 'active' }, t('{name} is verified and listed.', { name: tu.name }));
    };
    return h('li', { dataset: { id: tu.id } }, h('article', { class: 'card tutor-row' },
      h('div', { class: 'row' }, h('h3', tu.name || (u && u.name) || t('Tutor')), pill('status', tu.status)),
      u ? h('p', { class: 'small muted m0' }, u.email, ' · ', t('signed up {date}', { date: longDate(tu.created) })) : null,
      tu.headline ? h('p', tu.headline) : h('p', { class: 'muted' }, t('No headline yet.')),
      queue ? h('ul', { class: 'checklist', 'aria-label': t('Profile checklist') }, checks.map((c) => h('li', { class: c.ok ? 'ok' : 'missing' }, c.text)))
        : h('p', { class: 'small' }, (tu.subjects || []).map((s) => names.get(s) || s).join(', ') || t('No subjects yet.'), ' · ', t('{price} per hour', { price: money(tu.hourly_rate, tu.currency) })),
      h('div', { class: 'card-foot' },
        queue || !tu.verified ? h('button', { type: 'button', on: { click: verify } }, t('Verify {name}', { name: tu.name || '' })) : null,
        tu.status !== 'suspended' ? h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
          if (await confirmDialog(t('Suspend {name}?', { name: tu.name }), t('The tutor leaves the directory and cannot be booked. Existing lessons stay.'), { confirm: t('Suspend'), danger: true })) update(tu, { status: 'suspended' }, t('{name} is suspended.', { name: tu.name }));
        } } }, t('Suspend')) : h('button', { type: 'button', class: 'secondary', on: { click: () => update(tu, { status: tu.verified ? 'active' : 'pending' }, t('{name} is active again.', { name: tu.name })) } }, t('Reactivate')),
        tu.verified && tu.status === 'active' ? h('a', { href: `/tutors/${tu.id}` }, t('Public profile')) : null)));
  }

  async function load() {
    try {
      const [queue, all] = await Promise.all([
        pb.collection('tutors').getFullList({ filter: 'verified = false && status != "suspended"', sort: 'created', expand: 'user' }),
        pb.collection('tutors').getList(1, 200, { sort: 'name', expand: 'user' }),
      ]);
      // the weekly hours of the tutors waiting, for their checklists
      const windows = new Map();
      if (queue.length) {
        const ids = queue.slice(0, 50).map((tu) => tu.id);
        const rows = await pb.collection('availability').getFullList({ filter: ids.map((id) => pb.filter('tutor = {:id}', { id })).join(' || '), fields: 'tutor' });
        for (const r of rows) windows.set(r.tutor, (windows.get(r.tutor) || 0) + 1);
      }
      if (!ctx.isCurrent()) return;
      replace(queueEl, queue.length ? h('ul', { class: 'cards', id: 'queue' }, queue.map((tu) => card(tu, true, windows.get(tu.id) || 0))) : empty(t('Nobody is waiting.')));
      const listed = all.items.filter((tu) => tu.verified || tu.status === 'suspended');
      replace(allEl, listed.length ? h('ul', { class: 'cards' }, listed.map((tu) => card(tu, false)))
        : h('p', { class: 'notice' }, t('No tutors yet. Tutors create their account on the sign-up page, as a tutor ({link}), and wait here for you to verify them.', { link: `${location.origin}/signup?role=tutor` })));
    } catch (err) { replace(queueEl, errorBox(err)); }
  }
  await load();
  const unsub = await pb.collection('tutors').subscribe('*', () => load()).catch(() => null);
  return () => { if (unsub) unsub(); };
}

/** What a tutor's profile needs before students can book it well: [{ok, text}]. */
function checklist(tu, u, windows, names) {
  const subjects = (tu.subjects || []).map((s) => names.get(s) || s);
  return [
    { ok: !!(u && u.verified), text: u && u.verified ? t('Email confirmed') : t('Email not confirmed') },
    { ok: tu.hourly_rate > 0, text: tu.hourly_rate > 0 ? t('Rate: {price} per hour', { price: money(tu.hourly_rate, tu.currency) }) : t('No hourly rate') },
    { ok: subjects.length > 0, text: subjects.length ? t('Subjects: {list}', { list: subjects.join(', ') }) : t('No subjects') },
    { ok: windows > 0, text: windows > 0 ? t('Weekly hours: {n} windows', { n: windows }) : t('No weekly hours') },
    { ok: !!(tu.bio || '').trim(), text: (tu.bio || '').trim() ? t('Bio written') : t('No bio') },
  ];
}

/** The subjects tutors choose from: listed, and added here (a name, its Italian name, its address name). */
function subjectsSection() {
  const listEl = h('div', loading());
  const form = h('form', { class: 'card', novalidate: true, id: 'add-subject' }, errorSummary(),
    h('div', { class: 'grid-form' },
      field({ name: 'name', label: t('Name'), required: true, maxlength: 100, hint: t('As students search for it, e.g. Physics.') }),
      field({ name: 'names_it', label: t('Name in Italian (optional)'), maxlength: 120 }),
      field({ name: 'slug', label: t('Short name for addresses (optional)'), maxlength: 60, hint: t('Lower-case letters, digits and hyphens; made from the name when empty.') })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Add subject'))));
  const slugOf = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const name = form.elements.name.value.trim();
      const it = form.elements.names_it.value.trim();
      try {
        await pb.collection('subjects').create({ name, slug: form.elements.slug.value.trim() || slugOf(name), names: it ? { it } : null });
        form.reset(); clearErrors(form);
        toast(t('Subject added.'));
        forgetSubjects();
        load();
      } catch (err) { showErrors(form, err, { aliases: { names: 'names_it' } }); }
    });
  });
  async function load() {
    try {
      const list = await pb.collection('subjects').getFullList({ sort: 'name' });
      replace(listEl, list.length ? h('ul', { class: 'tags', id: 'subjects-list' }, list.map((s) => h('li', { class: 'tag' }, s.name, s.names && s.names.it ? ` · ${s.names.it}` : '')))
        : h('p', { class: 'notice warning' }, t('No subjects yet: add the first ones below, so tutors can choose what they teach.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  load();
  return h('section', { 'aria-labelledby': 'subjects-h', id: 'subjects' }, h('h2', { id: 'subjects-h' }, t('Subjects')), listEl, h('h3', t('Add a subject')), form);
}

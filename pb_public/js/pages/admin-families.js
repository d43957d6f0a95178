// Admin: families. Every guardian link (open invitations too), ended or
// withdrawn here; a guardian account linked to a student account at once,
// both named by their email (internal/app/guardians, docs/families.md).
import { pb } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, table, toast, confirmDialog } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { guardians } from '../api.js';

function who(u, fallback) {
  return u ? [h('strong', u.name || u.email), u.email ? h('div', { class: 'small muted' }, u.email) : null] : fallback;
}

export default async function adminFamilies(ctx) {
  ctx.setTitle(t('Families'));
  const listEl = h('div', loading());
  const linkForm = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('h2', t('Link a guardian')),
    h('p', { class: 'hint' }, t('Both accounts exist already: the guardian sees the student at once. Someone without an account signs up as a parent or guardian first, or the student invites them from their Family page.')),
    h('div', { class: 'grid-form' },
      field({ name: 'student', label: t("Student's email"), type: 'email', required: true }),
      field({ name: 'guardian', label: t("Guardian's email"), type: 'email', required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Link'))));
  linkForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(linkForm, async () => {
      try {
        await guardians.link(linkForm.elements.student.value.trim(), linkForm.elements.guardian.value.trim());
        clearErrors(linkForm); linkForm.reset();
        toast(t('Guardian linked.'));
        load();
      } catch (err) { showErrors(linkForm, err); }
    });
  });

  async function end(l) {
    const invited = l.status === 'invited';
    if (!await confirmDialog(invited ? t('Withdraw this invitation?') : t('Unlink this guardian?'),
      invited ? t('The invitation link stops working.') : t('The guardian no longer sees the student, books for them or gets their notices.'),
      { confirm: invited ? t('Withdraw') : t('Unlink'), danger: true })) return;
    try { await guardians.remove(l.id); toast(invited ? t('Invitation withdrawn.') : t('Guardian unlinked.')); load(); } catch (e) { toast(e.message, { error: true }); }
  }
  async function load() {
    try {
      const res = await pb.collection('guardians').getList(1, 200, { sort: '-created', expand: 'student,guardian' });
      if (!ctx.isCurrent()) return;
      replace(listEl, res.items.length ? table([t('Student'), t('Guardian'), t('Status'), t('Since'), t('Actions')], res.items.map((l) => h('tr', { dataset: { id: l.id } },
        h('td', who(l.expand && l.expand.student, l.student)),
        h('td', who(l.expand && l.expand.guardian, l.email || '')),
        h('td', l.status === 'invited' ? t('Invited') : t('Linked')),
        h('td', dateTime(l.created)),
        h('td', h('button', { type: 'button', class: 'danger secondary', on: { click: () => end(l) } }, l.status === 'invited' ? t('Withdraw') : t('Unlink')))))) : empty(t('No guardians yet.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  replace(ctx.root, pageTitle(t('Families')), linkForm, h('h2', t('Guardians and their students')), listEl);
  await load();
}

// The accept link of a guardian invitation: a signed-in guardian accepts
// it; anyone else is asked to sign up or sign in as a guardian first.
import { role } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle } from '../ui.js';
import { errorSummary, showErrors, busy } from '../forms.js';
import { guardians, chooseStudent } from '../api.js';

export default async function guardianInvite(ctx) {
  ctx.setTitle(t('Guardian invitation'));
  const token = ctx.query.get('token') || '';
  const here = encodeURIComponent(location.pathname + location.search);
  const box = h('div', { class: 'narrow' });
  replace(ctx.root, pageTitle(t('Guardian invitation')), box);
  if (role() !== 'guardian') {
    replace(box, h('p', t('A student invites you to follow their lessons as their parent or guardian.')),
      role() === 'visitor' ? null : h('p', { class: 'notice warning' }, t('This account is not a guardian account: sign out, then sign up or sign in as a guardian.')),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: `/signup?role=guardian&next=${here}` }, t('Sign up as a guardian')),
        h('a', { class: 'button secondary', href: `/signin?next=${here}` }, t('Sign in'))));
    return;
  }
  // mail scanners open links: accepting takes a click
  const form = h('form', { novalidate: true }, errorSummary(),
    h('p', t('Accept to book, pay and receive the reminders for this student.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Accept the invitation'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const link = await guardians.accept(token);
        chooseStudent(link.student);
        replace(box, h('p', { class: 'notice', role: 'status' }, t('Invitation accepted.')), h('p', h('a', { class: 'button', href: '/family' }, t('Go to your family'))));
      } catch (err) { showErrors(form, err); }
    });
  });
  box.append(form);
}

// Sign-up as a student or a tutor (tutors wait for the school's check).
import { pb, school } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, lang } from '../i18n.js';
import { browserZone, allZones } from '../format.js';
import { pageTitle } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { homeFor, safeNext } from './signin.js';
import { strengthMeter } from '../strength.js';

export default async function signup(ctx) {
  ctx.setTitle(t('Create an account'));
  const zone = browserZone();
  const roleSet = h('fieldset', { class: 'field', dataset: { field: 'role' } },
    h('legend', t('I want to')),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'role', value: 'student', checked: !['tutor', 'guardian'].includes(ctx.query.get('role')) }), t('learn (student)')),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'role', value: 'guardian', checked: ctx.query.get('role') === 'guardian' }), t('book lessons for my children (parent or guardian)')),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'role', value: 'tutor', checked: ctx.query.get('role') === 'tutor' }), t('teach (tutor; the school checks your profile first)')),
    h('p', { class: 'field-error' }));
  const passwordField = field({ name: 'password', label: t('Password'), type: 'password', required: true, autocomplete: 'new-password', minlength: 15, hint: t('At least 15 characters. A short sentence is easy to remember and hard to guess.') });
  const form = h('form', { class: 'card', novalidate: true },
    errorSummary(),
    field({ name: 'name', label: t('Your name'), required: true, autocomplete: 'name', maxlength: 120 }),
    field({ name: 'email', label: t('Email'), type: 'email', required: true, autocomplete: 'email' }),
    passwordField,
    field({ name: 'passwordConfirm', label: t('Repeat the password'), type: 'password', required: true, autocomplete: 'new-password' }),
    roleSet,
    field({ name: 'timezone', label: t('Your time zone'), type: 'select', value: zone, options: allZones().map((z) => [z, z]), hint: t('Lesson times are shown in this zone.') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Create my account'))));
  passwordField.append(strengthMeter(passwordField.querySelector('input'), async () => ({
    name: form.elements.namedItem('name').value, email: form.elements.namedItem('email').value, school: (await school().catch(() => ({}))).name,
  })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const fd = new FormData(form);
      const data = {
        name: fd.get('name').trim(), email: fd.get('email').trim(), password: fd.get('password'), passwordConfirm: fd.get('passwordConfirm'),
        role: fd.get('role') || 'student', timezone: fd.get('timezone'), locale: lang(), emailVisibility: false,
      };
      try {
        await pb.collection('users').create(data);
      } catch (err) { showErrors(form, err); return; }
      try { await pb.collection('users').requestVerification(data.email); } catch (e2) { console.warn(e2); }
      try {
        const auth = await pb.collection('users').authWithPassword(data.email, data.password);
        ctx.navigate(safeNext(ctx.query.get('next')) || (auth.record.role === 'tutor' ? '/tutor/profile' : homeFor(auth.record)), { replace: true });
      } catch (err) { showErrors(form, err); }
    });
  });
  const google = h('div');
  replace(ctx.root, pageTitle(t('Create an account')), h('div', { class: 'narrow' }, form, google,
    h('p', t('Already have an account?'), ' ', h('a', { href: `/signin${location.search}` }, t('Sign in')))));
  try {
    const methods = await pb.collection('users').listAuthMethods();
    if (methods.oauth2 && methods.oauth2.enabled && (methods.oauth2.providers || []).find((p) => p.name === 'google')) {
      // a new Google account is made with the role picked above; an email that has an account already is refused (sign in with the password, then link Google)
      replace(google, h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        const role = new FormData(form).get('role') || 'student';
        try {
          const auth = await pb.collection('users').authWithOAuth2({ provider: 'google', createData: { role, timezone: form.elements.namedItem('timezone').value, locale: lang() } });
          ctx.navigate(auth.record.role === 'tutor' ? '/tutor/profile' : homeFor(auth.record), { replace: true });
        } catch (err) { if (!err.isAbort) replace(google, h('p', { class: 'notice danger', role: 'alert' }, err.message || t('Google sign-in failed. Try again or use your email.'))); }
      } } }, t('Sign up with Google'))));
    }
  } catch (e) { console.warn(e); }
}

// Landing pages of the account emails: password reset, email verification,
// email change, and the "was this you?" link of a sign-in alert.
import { pb, currentUser, school } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, loading } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { strengthMeter } from '../strength.js';
import { reportSignIn } from '../api.js';

/** The email a reset token is for (its payload is readable; the server checks it). */
function tokenEmail(token) {
  try { return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).email || ''; } catch { return ''; }
}

function resultBox(ok, text) {
  return h('div', { class: ok ? 'notice success' : 'notice danger', role: ok ? 'status' : 'alert' }, text);
}

function newPassword(token) {
  const f = field({ name: 'password', label: t('New password'), type: 'password', required: true, autocomplete: 'new-password', hint: t('At least 15 characters. A short sentence is easy to remember and hard to guess.') });
  f.append(strengthMeter(f.querySelector('input'), async () => ({ name: '', email: tokenEmail(token), school: (await school().catch(() => ({}))).name })));
  return f;
}

export default async function landing(ctx) {
  const token = ctx.query.get('token') || '';
  if (ctx.path === '/verify-email') {
    ctx.setTitle(t('Confirm your email'));
    const out = h('div', loading(t('Confirming…')));
    replace(ctx.root, pageTitle(t('Confirm your email')), out);
    try {
      await pb.collection('users').confirmVerification(token);
      if (currentUser()) await pb.collection('users').authRefresh().catch(() => {});
      replace(out, resultBox(true, t('Thank you: your email address is confirmed.')), h('p', h('a', { href: currentUser() ? '/' : '/signin' }, currentUser() ? t('Continue') : t('Sign in'))));
    } catch (err) {
      replace(out, resultBox(false, t('This link is not valid any more. Sign in and ask for a new one from your account page.')));
    }
    return;
  }
  if (ctx.path === '/not-me') return notMe(ctx, token);
  const isReset = ctx.path === '/reset-password';
  const title = isReset ? t('Choose a new password') : t('Confirm your new email');
  ctx.setTitle(title);
  const out = h('div', { role: 'status' });
  const form = h('form', { class: 'card', novalidate: true },
    errorSummary(),
    isReset
      ? [newPassword(token),
        field({ name: 'passwordConfirm', label: t('Repeat the new password'), type: 'password', required: true, autocomplete: 'new-password' }),
        field({ name: 'signOutOthers', label: t('Sign out my other devices'), type: 'checkbox', value: true })]
      : field({ name: 'password', label: t('Your password'), type: 'password', required: true, autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, isReset ? t('Save the new password') : t('Confirm'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        if (isReset) {
          const { password, passwordConfirm, signOutOthers } = form.elements;
          // the SDK's options.body replaces its own: the whole body goes here
          await pb.collection('users').confirmPasswordReset(token, password.value, passwordConfirm.value, {
            body: { token, password: password.value, passwordConfirm: passwordConfirm.value, keepOtherSessions: !signOutOthers.checked },
          });
        }
        else await pb.collection('users').confirmEmailChange(token, form.elements.password.value);
        form.remove();
        if (!isReset) pb.authStore.clear();
        replace(out, resultBox(true, isReset ? t('Your password is changed. Sign in with it now.') : t('Your email is changed. Sign in with the new address.')), h('p', h('a', { href: '/signin' }, t('Sign in'))));
      } catch (err) {
        showErrors(form, err, { aliases: { token: 'password' }, message: t('This link is not valid any more, or the password was not accepted.') });
      }
    });
  });
  replace(ctx.root, pageTitle(title), h('div', { class: 'narrow' }, form, out));
}

/** A sign-in alert's "this was not me": asks first (mail scanners open links), then signs that device out. */
function notMe(ctx, token) {
  ctx.setTitle(t('Was this not you?'));
  const out = h('div', { role: 'status' });
  const button = h('button', { type: 'button', class: 'danger', on: { click: async () => {
    button.disabled = true;
    try {
      await reportSignIn(token);
      button.remove();
      replace(out, resultBox(true, t('That device is signed out. We emailed you a link to choose a new password: use it now.')));
    } catch {
      button.disabled = false;
      replace(out, resultBox(false, t('This link was used already, or is not valid.')));
    }
  } } }, t('Sign that device out and reset my password'));
  replace(ctx.root, pageTitle(t('Was this not you?')), h('div', { class: 'narrow card' },
    h('p', t('If someone else signed in to your account, sign that device out now. We then email you a link to choose a new password, which signs every device out.')),
    h('div', { class: 'actions' }, button), out));
}

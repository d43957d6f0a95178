// Sign-in: password (with the emailed second factor for staff), emailed
// code, Google when the school configured it; and "forgot password".
import { pb } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, toast } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { setup, secondFactor } from '../api.js';

export function homeFor(rec) {
  if (!rec) return '/';
  if (rec.role === 'tutor') return '/tutor/requests';
  if (rec.role === 'admin') return '/admin/tutors';
  if (rec.role === 'guardian') return '/family';
  return '/lessons';
}

/**
 * The path to go to after signing in, when next is one of this app's own
 * pages; else null. The URL API decides, as the browser will when it
 * follows it: "/\\evil.example" and "/\t/evil.example" start with one slash
 * yet resolve to another site.
 */
export function safeNext(next) {
  if (!next) return null;
  let url;
  try { url = new URL(next, location.origin); } catch { return null; }
  if (url.origin !== location.origin) return null;
  return url.pathname + url.search + url.hash;
}

function done(ctx) {
  ctx.navigate(safeNext(ctx.query.get('next')) || homeFor(pb.authStore.record), { replace: true });
}

/**
 * The emailed code's form (the second step of staff, or a sign-in by code):
 * without SMTP the code is not emailed, so it says whom to ask; "Send a new
 * code" and "Back" (to back()) are always there.
 */
function codeForm(ctx, { email, otpId, mfaId, back }) {
  const note = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true },
    errorSummary(),
    h('p', t('We emailed a sign-in code to {email}. It expires in 5 minutes.', { email })),
    note,
    field({ name: 'password', label: t('Code'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 8 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Sign in')),
      h('button', { type: 'button', class: 'secondary', on: { click: resend } }, t('Send a new code')),
      h('button', { type: 'button', class: 'linklike', on: { click: back } }, t('Back'))));
  const smtpNote = h('p', { class: 'notice warning smtp-note', role: 'note' }, t("SMTP is not set up: ask the server's operator for the code (it is printed in the server's terminal)."));
  setup().then((s) => { if (!s.smtp) note.append(smtpNote); }).catch((e) => console.warn(e));
  async function resend() {
    clearErrors(form);
    try {
      otpId = (await pb.collection('users').requestOTP(email)).otpId;
      const smtpOff = note.contains(smtpNote);
      replace(note, h('p', { class: 'notice success', role: 'status' }, t('A new code is on its way: use the newest one.')), smtpOff ? smtpNote : null);
      form.elements.password.value = '';
      form.elements.password.focus();
    } catch (err) { showErrors(form, err); }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const res = await pb.collection('users').authWithOTP(otpId, form.elements.password.value.trim(), mfaId ? { mfaId } : {});
        done(ctx);
        welcomeBack(res);
      } catch (err) { showErrors(form, err, { aliases: { otpId: 'password' } }); }
    });
  });
  return form;
}

/** Asks for an emailed code as the second step. */
async function emailStep(ctx, box, email, mfaId) {
  const otp = await pb.collection('users').requestOTP(email);
  const back = () => { replace(box, passwordForm(ctx, box)); box.querySelector('input').focus(); };
  replace(box, h('h2', t('Second step')), codeForm(ctx, { email, otpId: otp.otpId, mfaId, back }));
  box.querySelector('input').focus();
}

/** The second step: the authenticator app when set up (emailed codes too for staff), else an emailed code. */
async function secondStep(ctx, box, email, mfaId) {
  const methods = await secondFactor.methods(mfaId);
  if (!methods.app) return emailStep(ctx, box, email, mfaId);
  const form = h('form', { novalidate: true }, errorSummary(),
    field({ name: 'code', label: t('Code from your authenticator app'), required: true, autocomplete: 'one-time-code', maxlength: 11, hint: t('Or one of your recovery codes.') }),
    field({ name: 'remember', label: t('Remember this device for 30 days'), type: 'checkbox' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Sign in')),
      methods.email ? h('button', { type: 'button', class: 'secondary', on: { click: () => emailStep(ctx, box, email, mfaId).catch((e) => showErrors(form, e)) } }, t('Email me a code instead')) : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await secondFactor.withApp(mfaId, form.elements.code.value.trim(), form.elements.remember.checked);
        done(ctx);
      } catch (err) { showErrors(form, err, { aliases: { mfaId: 'code' } }); }
    });
  });
  replace(box, h('h2', t('Second step')), form);
  form.elements.code.focus();
}

/** Signing in cancelled the account's requested erasure (internal/app/privacy): say so. */
function welcomeBack(res) {
  if (res && res.meta && res.meta.erasureCancelled) toast(t('Welcome back: your account will not be deleted.'), { ms: 10000 });
}

function passwordForm(ctx, box) {
  const form = h('form', { novalidate: true },
    errorSummary(),
    field({ name: 'identity', label: t('Email'), type: 'email', required: true, autocomplete: 'email' }),
    field({ name: 'password', label: t('Password'), type: 'password', required: true, autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Sign in')), h('a', { href: '/forgot-password' }, t('Forgot your password?'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const email = form.elements.identity.value.trim();
      try {
        const res = await pb.collection('users').authWithPassword(email, form.elements.password.value, { headers: secondFactor.deviceHeaders() });
        done(ctx);
        welcomeBack(res);
      } catch (err) {
        const mfaId = err.response && err.response.mfaId;
        if (mfaId) {
          try { await secondStep(ctx, box, email, mfaId); } catch (e2) { showErrors(form, e2); }
          return;
        }
        showErrors(form, err, { message: err.status === 400 ? t('Wrong email or password.') : undefined });
      }
    });
  });
  return form;
}

function otpForm(ctx, box) {
  const form = h('form', { novalidate: true },
    errorSummary(),
    h('p', { class: 'muted' }, t('No password needed: we email you a code.')),
    field({ name: 'email', label: t('Email'), type: 'email', required: true, autocomplete: 'email' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Email me a code'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const email = form.elements.email.value.trim();
      try {
        const otp = await pb.collection('users').requestOTP(email);
        replace(box, codeForm(ctx, { email, otpId: otp.otpId, back: () => { replace(box, otpForm(ctx, box)); box.querySelector('input').focus(); } }));
        box.querySelector('input').focus();
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

function forgot(ctx) {
  ctx.setTitle(t('Reset your password'));
  const msg = h('div', { role: 'status' });
  const form = h('form', { class: 'card', novalidate: true },
    errorSummary(),
    field({ name: 'email', label: t('Email'), type: 'email', required: true, autocomplete: 'email' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Email me a reset link'))), msg);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      clearErrors(form);
      try {
        await pb.collection('users').requestPasswordReset(form.elements.email.value.trim());
        replace(msg, h('p', { class: 'notice success' }, t('If an account uses this email, a reset link is on its way.')));
      } catch (err) { showErrors(form, err); }
    });
  });
  replace(ctx.root, pageTitle(t('Reset your password')), h('div', { class: 'narrow' }, form));
}

export default async function signin(ctx) {
  if (ctx.path === '/forgot-password') return forgot(ctx);
  ctx.setTitle(t('Sign in'));
  const box = h('div', { class: 'card' });
  const tabs = [['password', t('Password')], ['otp', t('Email me a code')]];
  const tabList = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('How to sign in') });
  function show(which) {
    for (const b of tabList.children) { const on = b.dataset.tab === which; b.setAttribute('aria-selected', String(on)); b.tabIndex = on ? 0 : -1; }
    replace(box, which === 'password' ? passwordForm(ctx, box) : otpForm(ctx, box));
  }
  tabs.forEach(([key, label], i) => tabList.append(h('button', {
    type: 'button', role: 'tab', id: `tab-${key}`, 'aria-controls': 'signin-panel', dataset: { tab: key },
    on: {
      click: () => show(key),
      keydown: (e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const nextKey = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length][0];
        show(nextKey); tabList.querySelector(`[data-tab="${nextKey}"]`).focus();
      },
    },
  }, label)));
  box.id = 'signin-panel';
  box.setAttribute('role', 'tabpanel');
  const google = h('div');
  replace(ctx.root, pageTitle(t('Sign in')), h('div', { class: 'narrow' }, tabList, box, google,
    h('p', t('New here?'), ' ', h('a', { href: `/signup${location.search}` }, t('Create an account')))));
  show('password');
  try {
    const methods = await pb.collection('users').listAuthMethods();
    const g = methods.oauth2 && methods.oauth2.enabled && (methods.oauth2.providers || []).find((p) => p.name === 'google');
    if (g) {
      replace(google, h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        try { await pb.collection('users').authWithOAuth2({ provider: 'google' }); done(ctx); } catch (err) {
          if (err.isAbort) return;
          const linked = err.response && err.response.data && err.response.data.provider && err.response.data.provider.code === 'link_after_password';
          replace(google, h('p', { class: 'notice danger', role: 'alert' }, linked ? err.message : t('Google sign-in failed. Try again or use your email.')));
        }
      } } }, t('Sign in with Google'))));
    }
  } catch (e) { console.warn(e); }
}

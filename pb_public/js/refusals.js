// The server's refusals a person can do something about, explained in
// their language (the server's own messages are English): an unconfirmed
// email and the cap on unpaid lessons (hooks/unpaid.go).
import { pb, currentUser } from './pb.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { toast } from './ui.js';

/** The explanation of a refusal code, or '' for codes without one. */
export function refusalText(code, s = {}) {
  switch (code) {
    case 'email_unverified': return t('Confirm your email address first: open the link we emailed you when you signed up.');
    case 'unpaid_limit': return t('You already have {n} upcoming lessons that are not paid for. Pay for one of them under My lessons, or book with a package credit.', { n: s.max_unpaid_lessons ?? 3 });
    default: return '';
  }
}

/** The first explained refusal in an API error: {field, code, text} or null. */
export function refusalOf(err, s) {
  const data = (err && err.response && err.response.data) || {};
  for (const [field, v] of Object.entries(data)) {
    const text = v && refusalText(v.code, s);
    if (text) return { field, code: v.code, text };
  }
  return null;
}

/** Rewrites the explained field errors of err in place, so forms show them translated. */
export function translateRefusals(err, s) {
  const data = (err && err.response && err.response.data) || {};
  for (const v of Object.values(data)) {
    const text = v && refusalText(v.code, s);
    if (text) v.message = text;
  }
  return err;
}

/** A button that emails the signed-in user their confirmation link again. */
export function resendConfirmation() {
  return h('button', { type: 'button', class: 'secondary', on: { click: async () => {
    const u = currentUser();
    try { await pb.collection('users').requestVerification(u.email); toast(t('Confirmation email sent.')); } catch (e) { toast(e.message, { error: true }); }
  } } }, t('Send the confirmation email again'));
}

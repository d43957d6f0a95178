// One's data rights on the account page: download everything the school
// holds about you, and delete your account (erased after 14 days; signing
// in before then keeps it). docs/privacy.md tells the whole story.
import { pb, prehash } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { toast, confirmDialog } from './ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from './forms.js';
import { privacy } from './api.js';
import { dateTime } from './format.js';
import { navigate } from './router.js';

function exportBox() {
  const note = h('div');
  const button = h('button', { type: 'button', class: 'secondary', on: { click: async () => {
    button.disabled = true;
    try {
      await privacy.exportMine(`tutorbase-export-${new Date().toISOString().slice(0, 10)}.zip`);
      replace(note, h('p', { class: 'notice success', role: 'status' }, t('Your data is downloaded: a zip with a README that explains each file.')));
    } catch (e) {
      replace(note, h('p', { class: 'notice danger', role: 'alert' }, e.message));
    } finally { button.disabled = false; }
  } } }, t('Download my data'));
  return h('div', { class: 'card', id: 'export' },
    h('p', t('One zip of everything the school holds about you: profile, lessons, payments and invoices, messages, reports, your files, notifications and your account\'s events. Once an hour.')),
    h('div', { class: 'actions' }, button), note);
}

function deleteBox(u) {
  let otpId = '';
  const proof = h('div', field({ name: 'password', label: t('Your password'), type: 'password', autocomplete: 'current-password' }));
  const byCode = h('button', { type: 'button', class: 'linklike', on: { click: async () => {
    try { otpId = (await pb.collection('users').requestOTP(u.email)).otpId; } catch (e) { toast(e.message, { error: true }); return; }
    replace(proof, field({ name: 'code', label: t('Code from the email'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 8 }));
    byCode.remove();
    toast(t('A code is on its way to your email.'));
  } } }, t('No password? Email me a code instead'));
  const form = h('form', { class: 'card', id: 'delete-account', novalidate: true }, errorSummary(),
    h('p', t('Your account is erased 14 days after you ask: your name, contact details, messages and files are removed, and your future lessons are cancelled and refunded. Signing in before then cancels the request. Invoices and payments are kept for ten years, as the law requires, readable only by the school.')),
    proof, byCode,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('Delete my account'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      if (!await confirmDialog(t('Delete your account?'), t('You are signed out everywhere now; in 14 days the account is erased for good.'), { confirm: t('Delete my account'), danger: true })) return;
      const body = otpId ? { otpId, code: form.elements.code.value.trim() } : { password: await prehash(form.elements.password.value) };
      try {
        const res = await privacy.requestDeletion(body);
        clearErrors(form);
        pb.authStore.clear();
        navigate('/signin');
        toast(t('Your account will be erased on {date}. Sign in before then to keep it.', { date: dateTime(res.erase_after) }), { ms: 15000 });
      } catch (err) { showErrors(form, err, { aliases: otpId ? { password: 'code', otpId: 'code' } : {} }); }
    });
  });
  return form;
}

/** The account page's section of one's data rights. */
export function dataRightsBox(u) {
  return h('div', exportBox(), h('h3', t('Delete my account')), deleteBox(u));
}

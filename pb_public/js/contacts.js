// Proving contact details on the account page: a code by SMS or WhatsApp
// for the mobile number, and the school's Telegram bot for Telegram. The
// server sends nothing to a number or chat that is not proven.
import { pb, currentUser } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { toast } from './ui.js';
import { field } from './forms.js';
import { account } from './api.js';

function apiMessage(err) {
  const d = (err && err.response && err.response.data) || {};
  const first = Object.values(d)[0];
  return (first && first.message) || (err && err.response && err.response.message) || (err && err.message) || t('Something went wrong.');
}

function saveUser(rec) { pb.authStore.save(pb.authStore.token, rec); }

/** The phone's state and, until it is confirmed, the way to confirm it. */
export function phoneProof() {
  const box = h('div', { class: 'contact-proof', id: 'phone-proof', 'aria-live': 'polite' });
  // not a <form>: it sits inside the profile form
  function codeForm(channel) {
    const code = field({ name: 'code', label: t('Code'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 7 });
    const input = code.querySelector('input');
    async function confirm() {
      try {
        saveUser(await account.verifyPhone(input.value));
        toast(t('Your number is confirmed.'));
        render();
      } catch (err) {
        replace(code.querySelector('.field-error'), apiMessage(err));
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    }
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); confirm(); } });
    return h('div', { role: 'group', 'aria-label': t('Confirm your mobile number') },
      h('p', { class: 'small m0' }, channel === 'sms' ? t('We sent a code by SMS to {phone}.', { phone: currentUser().phone }) : t('We sent a code by WhatsApp to {phone}.', { phone: currentUser().phone })),
      code,
      h('div', { class: 'actions' }, h('button', { type: 'button', on: { click: confirm } }, t('Confirm the number'))));
  }
  function render() {
    const u = currentUser();
    if (!u.phone) { replace(box); return; }
    if (u.phone_verified) { replace(box, h('p', { class: 'small m0 proven' }, '✓ ', t('Confirmed: SMS and WhatsApp messages go to this number.'))); return; }
    const send = (channel) => async () => {
      try { await account.sendPhoneCode(channel); replace(box, codeForm(channel)); box.querySelector('input').focus(); } catch (err) { toast(apiMessage(err), { error: true }); }
    };
    replace(box, h('p', { class: 'small m0' }, t('Not confirmed yet: we send SMS and WhatsApp only to a confirmed number.')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', on: { click: send('sms') } }, t('Send a code by SMS')),
        h('button', { type: 'button', class: 'secondary', on: { click: send('whatsapp') } }, t('Send a code by WhatsApp'))));
  }
  render();
  return { box, render };
}

/** Telegram: connected (and a way out), or the bot's link and a check. */
export function telegramBox() {
  const box = h('div', { class: 'contact-proof', id: 'telegram-proof', 'aria-live': 'polite' });
  function render() {
    const u = currentUser();
    if (u.telegram_chat_id) {
      replace(box, h('p', { class: 'small m0 proven' }, '✓ ', t('Telegram is connected.')),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          try { saveUser(await account.telegramDisconnect()); toast(t('Telegram is disconnected.')); render(); } catch (err) { toast(apiMessage(err), { error: true }); }
        } } }, t('Disconnect Telegram'))));
      return;
    }
    replace(box, h('p', { class: 'small m0' }, t('Telegram messages come from the school\'s bot: connect it once.')),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: connect } }, t('Connect Telegram'))));
  }
  async function connect() {
    let link;
    try { link = await account.telegramLink(); } catch (err) { toast(apiMessage(err), { error: true }); return; }
    const status = h('p', { class: 'small m0', role: 'status' });
    replace(box,
      h('p', { class: 'small m0' }, t('Open the school\'s bot in Telegram and press Start, then come back here.')),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: link.url, target: '_blank', rel: 'noopener', 'data-external': '' }, t('Open @{bot} in Telegram', { bot: link.bot })),
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          try {
            const res = await account.telegramCheck();
            if (!res.connected) { replace(status, t('Not yet: press Start in the chat with the bot, then try again.')); return; }
            saveUser(await pb.collection('users').getOne(currentUser().id));
            toast(t('Telegram is connected.'));
            render();
          } catch (err) { replace(status, apiMessage(err)); }
        } } }, t('I pressed Start'))),
      status);
  }
  render();
  return box;
}

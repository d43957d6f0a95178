// Account: profile, time zone and language; notification preferences and
// quiet hours; calendar feed; a tutor's own calendars (busy times);
// password; where one is signed in; student details; one's data (export,
// deleting the account).
import { pb, currentUser, prehash, school, needsApp } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv, setLang } from '../i18n.js';
import { allZones } from '../format.js';
import { pageTitle, toast, confirmDialog } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { strengthMeter } from '../strength.js';
import { phoneProof, telegramBox } from '../contacts.js';
import { busyFeedsBox } from '../busy-feeds.js';
import { googleBox } from '../google.js';
import { pushBox } from '../push.js';
import { dataRightsBox } from '../data-rights.js';
import { sessions, totp } from '../api.js';
import { dateTime } from '../format.js';
import { navigate } from '../router.js';

// hooks/accounts.go NotifyEvents and NotifyChannels
export const EVENTS = ['booking_created', 'booking_confirmed', 'booking_cancelled', 'booking_rescheduled', 'reminder',
  'payment_received', 'refund', 'payout', 'review_received', 'tutor_verified', 'credits_low', 'package_expiring', 'digest',
  'calendar_feed_failing', 'report_missing', 'homework_done', 'google_disconnected', 'meet_failed', 'subscription_failed', 'message_unread', 'thread_reported', 'sequence'];
export const CHANNELS = ['inapp', 'email', 'sms', 'whatsapp', 'telegram', 'push'];
const defaultWants = (ch) => ch === 'inapp' || ch === 'email' || ch === 'push'; // internal/notify DefaultWants

function saved(rec) { pb.authStore.save(pb.authStore.token, rec); toast(t('Saved.')); }

function profileForm(u) {
  const phone = phoneProof();
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('div', { class: 'grid-form' },
      field({ name: 'name', label: t('Name'), value: u.name, required: true, maxlength: 120, autocomplete: 'name' }),
      field({ name: 'timezone', label: t('Time zone'), type: 'select', value: u.timezone, options: allZones().map((z) => [z, z]), hint: t('Every time is shown in this zone.') }),
      field({ name: 'locale', label: t('Language'), type: 'select', value: u.locale, options: [['en', 'English'], ['it', 'Italiano']] }),
      field({ name: 'phone', label: t('Mobile number'), type: 'tel', value: u.phone, autocomplete: 'tel', hint: t('International format, e.g. +393331234567; for SMS and WhatsApp.') })),
    phone.box,
    h('p', { class: 'small muted' }, t('Email: {email}', { email: u.email }), ' · ', u.verified ? t('confirmed') : t('not confirmed yet')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save profile')),
      u.verified ? null : h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        try { await pb.collection('users').requestVerification(u.email); toast(t('Confirmation email sent.')); } catch (e) { toast(e.message, { error: true }); }
      } } }, t('Send the confirmation email again'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const fd = new FormData(form);
      try {
        const rec = await pb.collection('users').update(u.id, { name: fd.get('name'), timezone: fd.get('timezone'), locale: fd.get('locale'), phone: fd.get('phone') });
        clearErrors(form);
        saved(rec);
        phone.render();
        setLang(rec.locale);
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

function notifyForm(u) {
  const prefs = (u.notify && typeof u.notify === 'object') ? u.notify : {};
  const wants = (ev, ch) => (ch === 'inapp' ? true : (prefs[ev] && typeof prefs[ev][ch] === 'boolean' ? prefs[ev][ch] : defaultWants(ch)));
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('div', { class: 'field', dataset: { field: 'notify' } },
      h('div', { class: 'table-wrap' }, h('table', { class: 'prefs' },
        h('caption', { class: 'visually-hidden' }, t('Which messages you get on which channel')),
        h('thead', h('tr', h('th', { scope: 'col' }, t('Event')), CHANNELS.map((c) => h('th', { scope: 'col' }, tv('channel', c))))),
        h('tbody', EVENTS.map((ev) => h('tr', h('th', { scope: 'row' }, tv('event', ev)), CHANNELS.map((ch) => h('td', h('input', {
          type: 'checkbox', name: `n:${ev}:${ch}`, checked: wants(ev, ch), disabled: ch === 'inapp',
          'aria-label': `${tv('event', ev)}: ${tv('channel', ch)}`,
        })))))))),
      h('p', { class: 'field-error' })),
    h('p', { class: 'small muted' }, t('In-app notifications are always on. SMS and WhatsApp need a confirmed mobile number (see your profile); Telegram needs the school\'s bot connected. Push reaches each device where you turned it on below.')),
    h('div', { class: 'grid-form' },
      field({ name: 'quiet_start', label: t('Quiet hours from'), type: 'time', value: u.quiet_start, hint: t('Messages wait until the quiet hours end (in your time zone).') }),
      field({ name: 'quiet_end', label: t('Quiet hours until'), type: 'time', value: u.quiet_end })),
    h('h3', t('Telegram')), telegramBox(),
    h('h3', t('Push notifications on this device')), pushBox(),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save notification settings'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const notify = {};
      for (const ev of EVENTS) {
        notify[ev] = {};
        for (const ch of CHANNELS) if (ch !== 'inapp') notify[ev][ch] = form.elements[`n:${ev}:${ch}`].checked;
      }
      try {
        const rec = await pb.collection('users').update(u.id, {
          notify, quiet_start: form.elements.quiet_start.value, quiet_end: form.elements.quiet_end.value,
        });
        clearErrors(form);
        saved(rec);
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

function calendarBox() {
  const box = h('div', { class: 'card' }, h('p', { class: 'loading' }, t('Loading…')));
  const show = (res) => {
    const input = h('input', { id: 'feed-url', readonly: true, value: res.url });
    replace(box,
      h('p', t('Subscribe to this private link in Google Calendar, Apple Calendar or Outlook to see your lessons there. Keep it secret.')),
      h('label', { for: 'feed-url' }, t('Calendar link')),
      h('div', { class: 'copy-row' }, input, h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        try { await navigator.clipboard.writeText(res.url); toast(t('Link copied.')); } catch { input.select(); }
      } } }, t('Copy'))),
      h('div', { class: 'actions' }, h('a', { href: res.webcal, 'data-external': '' }, t('Open in my calendar app')),
        h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
          if (!await confirmDialog(t('Make a new link?'), t('The old link stops working at once; subscribe again with the new one.'), { confirm: t('Make a new link'), danger: true })) return;
          try { show(await pb.send('/api/calendar/rotate', { method: 'POST' })); toast(t('New link ready.')); } catch (e) { toast(e.message, { error: true }); }
        } } }, t('Make a new link'))));
  };
  pb.send('/api/calendar', {}).then(show).catch((e) => replace(box, h('p', { class: 'notice danger' }, e.message)));
  return box;
}

function passwordForm(u) {
  const newPassword = field({ name: 'password', label: t('New password'), type: 'password', required: true, autocomplete: 'new-password', hint: t('At least 15 characters. A short sentence is easy to remember and hard to guess.') });
  newPassword.append(strengthMeter(newPassword.querySelector('input'), async () => ({ name: u.name, email: u.email, school: (await school().catch(() => ({}))).name })));
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    field({ name: 'oldPassword', label: t('Current password'), type: 'password', required: true, autocomplete: 'current-password' }),
    newPassword,
    field({ name: 'passwordConfirm', label: t('Repeat the new password'), type: 'password', required: true, autocomplete: 'new-password' }),
    field({ name: 'signOutOthers', label: t('Sign out my other devices'), type: 'checkbox', value: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Change password'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const fd = new FormData(form);
      try {
        // the server prehashes passwords over 71 bytes; the old one must arrive in that form
        const keep = !form.elements.signOutOthers.checked;
        await pb.collection('users').update(u.id, { oldPassword: await prehash(fd.get('oldPassword')), password: fd.get('password'), passwordConfirm: fd.get('passwordConfirm'), keepOtherSessions: keep });
        // a new password signs every session out (unless kept): sign in again with it
        if (!keep) await pb.collection('users').authWithPassword(u.email, fd.get('password'));
        form.reset(); clearErrors(form);
        toast(t('Password changed.'));
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

/** The recovery codes, shown once. */
function recoveryList(codes) {
  return h('div', { class: 'notice', id: 'recovery-codes' },
    h('p', t('Your recovery codes. Each signs you in once if you lose your phone: keep them somewhere safe, they are not shown again.')),
    h('ul', { class: 'codes' }, codes.map((c) => h('li', h('code', c)))));
}

/** The authenticator app: set it up (QR code, then a code from it), or turn it off, or get new recovery codes. */
function totpBox(u, mustKeep, owed) {
  const box = h('div', { class: 'card', id: 'totp' });
  const refreshed = async () => { const res = await pb.collection('users').authRefresh(); return res.record; };
  function setupForm(again) {
    const area = h('div');
    const start = h('button', { type: 'button', on: { click: async () => {
      let res;
      try { res = await totp.setup(); } catch (e) { toast(e.message, { error: true }); return; }
      const form = h('form', { novalidate: true }, errorSummary(),
        h('p', t('Scan this QR code with your authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password), then type the code it shows.')),
        h('img', { src: res.qr, alt: t('QR code to scan with your authenticator app'), width: 240, height: 240, class: 'qr' }),
        h('p', { class: 'small' }, t('Or type this key into the app:'), ' ', h('code', { class: 'totp-secret' }, res.secret)),
        field({ name: 'code', label: t('Code from the app'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 7 }),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Turn on'))));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(form, async () => {
          try {
            const out = await totp.enable(form.elements.code.value.trim());
            const rec = await refreshed();
            render(rec, out.recovery_codes);
            if (owed) box.append(h('p', h('a', { href: '/', class: 'button' }, t('Continue'))));
            toast(t('The authenticator app is on.'));
          } catch (err) { showErrors(form, err); }
        });
      });
      replace(area, form);
      form.elements.code.focus();
    } } }, again ? t('Set up a new phone') : t('Set up an authenticator app'));
    return [start, area];
  }
  function render(rec, codes) {
    if (!rec.totp_enabled) {
      replace(box, h('p', mustKeep ? t('Staff sign in with a second factor: set up an authenticator app (emailed codes keep working too).') : t('Add a second step to signing in: a code from an app on your phone.')), ...setupForm(false));
      return;
    }
    const manage = h('form', { novalidate: true }, errorSummary(),
      field({ name: 'code', label: t('Code from the app, or a recovery code'), required: true, autocomplete: 'one-time-code', maxlength: 11 }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', on: { click: () => busy(manage, async () => {
          try { const out = await totp.recoveryCodes(manage.elements.code.value.trim()); render(rec, out.recovery_codes); } catch (err) { showErrors(manage, err); }
        }) } }, t('New recovery codes')),
        mustKeep ? null : h('button', { type: 'button', class: 'danger secondary', on: { click: () => busy(manage, async () => {
          try { await totp.disable(manage.elements.code.value.trim()); render(await refreshed()); toast(t('The authenticator app is off.')); } catch (err) { showErrors(manage, err); }
        }) } }, t('Turn off'))));
    replace(box, h('p', { class: 'notice success' }, t('Signing in asks for a code from your authenticator app.')),
      codes ? recoveryList(codes) : null, manage, ...setupForm(true));
  }
  render(u);
  return box;
}

/** Where the person is signed in, each device signed out on its own or all at once. */
function sessionsBox() {
  const box = h('div', { class: 'card', id: 'sessions' }, h('p', { class: 'loading' }, t('Loading…')));
  const show = async () => {
    let res;
    try { res = await sessions.list(); } catch (e) { replace(box, h('p', { class: 'notice danger' }, e.message)); return; }
    const item = (x) => h('li', { class: 'session', dataset: { session: x.id } },
      h('strong', t('{browser} on {device}', { browser: x.browser, device: x.device })), ' ',
      h('span', { class: 'muted small' }, t('Network {network} · last active {when}', { network: x.network, when: dateTime(x.last_seen) })), ' ',
      x.current ? h('em', t('This device')) : h('button', { type: 'button', class: 'secondary small', on: { click: async () => {
        try { await sessions.revoke(x.id); toast(t('Signed out on that device.')); show(); } catch (e) { toast(e.message, { error: true }); }
      } } }, t('Sign out')));
    replace(box,
      h('ul', { class: 'plain sessions' }, res.items.map(item)),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
        if (!await confirmDialog(t('Sign out everywhere?'), t('Every device is signed out, this one too; sign in again where you need to.'), { confirm: t('Sign out everywhere'), danger: true })) return;
        try { await sessions.revokeAll(); pb.authStore.clear(); navigate('/signin'); } catch (e) { toast(e.message, { error: true }); }
      } } }, t('Sign out everywhere'))));
  };
  show();
  return box;
}

async function studentForm(u) {
  let rec;
  try { rec = await pb.collection('students').getFirstListItem(pb.filter('user = {:u}', { u: u.id })); } catch { return null; }
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('div', { class: 'grid-form' },
      field({ name: 'level', label: t('Level'), value: rec.level, maxlength: 100 }),
      field({ name: 'guardian_name', label: t('Parent or guardian (if they pay)'), value: rec.guardian_name, maxlength: 120 }),
      field({ name: 'guardian_email', label: t('Their email (for invoices)'), type: 'email', value: rec.guardian_email })),
    field({ name: 'goals', label: t('Goals'), type: 'textarea', value: rec.goals, maxlength: 2000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const fd = new FormData(form);
      try { await pb.collection('students').update(rec.id, Object.fromEntries(fd)); clearErrors(form); toast(t('Saved.')); } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

/** A payer's invoice details (billing_details): a student's or a guardian's own, for e-invoices made out to them. */
async function billingForm(u) {
  let rec = null;
  try { rec = await pb.collection('billing_details').getFirstListItem(pb.filter('user = {:u}', { u: u.id })); } catch (e) { if (e.status !== 404) throw e; }
  const v = rec || {};
  const form = h('form', { class: 'card', novalidate: true, id: 'billing-details' }, errorSummary(),
    h('fieldset', h('legend', t('Invoice details (Italy)')),
      h('p', { class: 'hint' }, t('For e-invoices: your codice fiscale, or for a business its partita IVA with its recipient code or PEC, and the billing address.')),
      h('div', { class: 'grid-form' },
        field({ name: 'billing_fiscal_code', label: t('Codice fiscale'), value: v.billing_fiscal_code, maxlength: 24, autocomplete: 'off' }),
        field({ name: 'billing_vat_id', label: t('Partita IVA (businesses)'), value: v.billing_vat_id, maxlength: 28 }),
        field({ name: 'billing_recipient_code', label: t('Recipient code (codice destinatario)'), value: v.billing_recipient_code, maxlength: 7 }),
        field({ name: 'billing_pec', label: t('PEC address'), type: 'email', value: v.billing_pec }),
        field({ name: 'billing_street', label: t('Street and number'), value: v.billing_street, maxlength: 60, autocomplete: 'street-address' }),
        field({ name: 'billing_postcode', label: t('Postcode'), value: v.billing_postcode, maxlength: 10, autocomplete: 'postal-code' }),
        field({ name: 'billing_city', label: t('City'), value: v.billing_city, maxlength: 60, autocomplete: 'address-level2' }),
        field({ name: 'billing_province', label: t('Province (e.g. RM)'), value: v.billing_province, maxlength: 2 }),
        field({ name: 'billing_country', label: t('Country code (empty for Italy)'), value: v.billing_country, maxlength: 2 }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const data = Object.fromEntries(new FormData(form));
      try {
        rec = rec ? await pb.collection('billing_details').update(rec.id, data) : await pb.collection('billing_details').create({ ...data, user: u.id });
        clearErrors(form); toast(t('Saved.'));
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

export default async function settings(ctx) {
  ctx.setTitle(t('Account'));
  const u = currentUser();
  const mustKeep = await needsApp(u);
  const totpSection = h('section', { 'aria-labelledby': 'totp-h' }, h('h2', { id: 'totp-h', tabindex: '-1' }, t('Authenticator app')), totpBox(u, mustKeep, !u.totp_enabled));
  if (mustKeep && !u.totp_enabled) { // nothing else works until the app is set up
    replace(ctx.root, pageTitle(t('Account')),
      h('p', { class: 'notice warning', role: 'status' }, t('Your school requires an authenticator app for your account: set it up to continue.')), totpSection,
      h('section', { 'aria-labelledby': 'sess-h' }, h('h2', { id: 'sess-h' }, t('Where you are signed in')), sessionsBox()));
    return;
  }
  const student = u.role === 'student' ? await studentForm(u) : null;
  const billing = u.role === 'student' || u.role === 'guardian' ? await billingForm(u).catch(() => null) : null;
  replace(ctx.root, pageTitle(t('Account')),
    h('section', { 'aria-labelledby': 'pr-h' }, h('h2', { id: 'pr-h' }, t('Profile')), profileForm(u)),
    student ? h('section', { 'aria-labelledby': 'st-h' }, h('h2', { id: 'st-h' }, t('About my studies')), student) : null,
    billing,
    h('section', { 'aria-labelledby': 'notify-h' }, h('h2', { id: 'notify-h', tabindex: '-1' }, t('Notification settings')), notifyForm(u)),
    h('section', { 'aria-labelledby': 'cal-h' }, h('h2', { id: 'cal-h' }, t('Calendar feed')), calendarBox()),
    u.role === 'tutor' ? h('section', { 'aria-labelledby': 'busy-feeds' },
      h('h2', { id: 'busy-feeds', tabindex: '-1' }, t('Busy times from your calendars')), busyFeedsBox()) : null,
    h('section', { 'aria-labelledby': 'google' }, h('h2', { id: 'google', tabindex: '-1' }, t('Google')), googleBox()),
    h('section', { 'aria-labelledby': 'pw-h' }, h('h2', { id: 'pw-h' }, t('Password')), passwordForm(u)),
    totpSection,
    h('section', { 'aria-labelledby': 'sess-h' }, h('h2', { id: 'sess-h' }, t('Where you are signed in')), sessionsBox()),
    h('section', { 'aria-labelledby': 'data-h' }, h('h2', { id: 'data-h', tabindex: '-1' }, t('Your data')), dataRightsBox(u)));
  if (location.hash) { const target = document.getElementById(location.hash.slice(1)); if (target) setTimeout(() => { target.scrollIntoView(); target.focus(); }, 0); }
}

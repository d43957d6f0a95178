// Account settings: Google. Sign-in with Google linked to this account
// (only while signed in with the password: the server refuses to link by
// the email alone), and the Google Calendar connection: lessons written
// to the calendar, its busy times blocking a tutor's free slots
// (docs/calendars.md).
import { pb, currentUser } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { dateTime } from './format.js';
import { toast, confirmDialog, errorBox, loading } from './ui.js';
import { field, checkGroup, checkedValues, errorSummary, showErrors, clearErrors } from './forms.js';
import { googleCalendar } from './api.js';

/** Whether the school set up sign-in with Google. */
async function signInOn() {
  try {
    const methods = await pb.collection('users').listAuthMethods();
    return !!(methods.oauth2 && methods.oauth2.enabled && (methods.oauth2.providers || []).find((p) => p.name === 'google'));
  } catch { return false; }
}

function linkButton(box) {
  return h('button', { type: 'button', class: 'secondary', on: { click: async () => {
    try {
      await pb.collection('users').authWithOAuth2({ provider: 'google' });
      toast(t('Google is linked: you can sign in with it from now on.'));
    } catch (err) { if (!err.isAbort) replace(box, h('p', { class: 'notice danger', role: 'alert' }, err.message || t('Google sign-in failed. Try again or use your email.'))); }
  } } }, t('Link Google sign-in'));
}

function calendarState(st, reload) {
  const connect = h('button', { type: 'button', on: { click: async () => {
    connect.disabled = true;
    try { const { url } = await googleCalendar.connect(); window.location.assign(url); } catch (e) { connect.disabled = false; toast(e.message, { error: true }); }
  } } }, st.status === 'connected' ? t('Connect again') : t('Connect Google Calendar'));
  const disconnect = h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
    if (!await confirmDialog(t('Disconnect Google Calendar?'), t('Lessons stop being written to it and its busy times stop blocking your free times.'), { confirm: t('Disconnect'), danger: true })) return;
    try { await googleCalendar.disconnect(); toast(t('Google Calendar disconnected.')); } catch (e) { toast(e.message, { error: true }); }
    reload();
  } } }, t('Disconnect'));
  const tutor = currentUser().role === 'tutor';
  if (st.status === 'connected') {
    return [h('p', { dataset: { status: 'connected' } }, t('Connected to {email}: your lessons are written to your Google Calendar.', { email: st.email })),
      tutor ? h('p', { class: 'small muted' }, st.busy_synced_at
        ? t('Its busy times block your free times; last read {when}, busy times stored: {n}.', { when: dateTime(st.busy_synced_at), n: st.busy_events })
        : t('Its busy times are read every 5 minutes and block your free times.')) : null,
      calendarChoice(st, tutor, reload),
      h('div', { class: 'actions' }, disconnect)];
  }
  if (st.status === 'revoked') {
    return [h('p', { class: 'notice danger', role: 'alert', dataset: { status: 'revoked' } }, t('Google no longer accepts our access to your calendar: nothing is written to it or read from it. Connect it again.')),
      h('div', { class: 'actions' }, connect, disconnect)];
  }
  return [h('p', t('Connect your Google Calendar: your lessons appear in it, moved and removed with them.') + (tutor ? ' ' + t('Its busy times block your free times here.') : '')),
    h('div', { class: 'actions' }, connect)];
}

/** The choice of calendars: where lessons are written, which block a tutor's free times. */
function calendarChoice(st, tutor, reload) {
  const box = h('div', { id: 'google-calendars' }, loading(t('Reading your Google calendars…')));
  googleCalendar.calendars().then(({ calendars }) => {
    const writable = calendars.filter((c) => c.writable);
    const name = (c) => c.primary ? t('{name} (main calendar)', { name: c.name }) : c.name;
    const form = h('form', { novalidate: true }, errorSummary(),
      field({ name: 'lessons', label: t('Write my lessons to'), type: 'select', options: writable.map((c) => [c.id, name(c)]),
        value: (calendars.find((c) => c.lessons) || {}).id, hint: t('Lessons already written stay where they are.') }),
      tutor ? checkGroup({ name: 'busy', legend: t('Calendars whose busy times block my free times'), options: calendars.map((c) => [c.id, name(c)]),
        values: calendars.filter((c) => c.busy).map((c) => c.id), hint: t('Only the start and end of each busy time are read.') }) : null,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save calendars'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const busy = tutor ? checkedValues(form, 'busy') : calendars.filter((c) => c.busy).map((c) => c.id);
      try {
        await googleCalendar.choose(form.elements.lessons.value, busy);
        toast(t('Calendars saved.'));
        reload();
      } catch (e) { showErrors(form, e); }
    });
    replace(box, h('h4', t('Your calendars')), form);
  }, (e) => replace(box, errorBox(e)));
  return box;
}

/** The Google section of the account page (empty when the school set up neither). */
export function googleBox() {
  const box = h('div', { id: 'google-box' }, loading());
  const load = async () => {
    try {
      const [st, signIn] = await Promise.all([googleCalendar.status(), signInOn()]);
      const linkBox = h('div');
      if (signIn) replace(linkBox, h('p', t('Sign in with Google as well as your password: link your Google account while signed in here.')), h('div', { class: 'actions' }, linkButton(linkBox)));
      const cal = st.available ? h('div', { class: 'card' }, h('h3', t('Google Calendar')), ...calendarState(st, load)) : null;
      if (!signIn && !cal) { replace(box, h('p', { class: 'muted' }, t('This school has not set up Google.'))); return; }
      replace(box, linkBox, cal);
    } catch (e) { replace(box, errorBox(e)); }
  };
  load();
  return box;
}

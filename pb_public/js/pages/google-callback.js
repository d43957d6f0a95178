// Where Google sends a person back after the Calendar consent: the code
// and state go to the server, then back to the account page.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, loading, toast } from '../ui.js';
import { googleCalendar } from '../api.js';

export default async function googleCallback(ctx) {
  ctx.setTitle(t('Google Calendar'));
  replace(ctx.root, pageTitle(t('Google Calendar')), loading(t('Connecting Google Calendar…')));
  const code = ctx.query.get('code');
  const state = ctx.query.get('state');
  if (!code || !state) {
    replace(ctx.root, pageTitle(t('Google Calendar')), h('p', { class: 'notice danger', role: 'alert' }, t('Google did not confirm the connection. Try connecting again.')),
      h('p', h('a', { href: '/settings#google' }, t('Back to your account'))));
    return;
  }
  try {
    await googleCalendar.callback(code, state);
    toast(t('Google Calendar connected.'));
    ctx.navigate('/settings#google', { replace: true });
  } catch (e) {
    replace(ctx.root, pageTitle(t('Google Calendar')), h('p', { class: 'notice danger', role: 'alert' }, e.message),
      h('p', h('a', { href: '/settings#google' }, t('Back to your account'))));
  }
}

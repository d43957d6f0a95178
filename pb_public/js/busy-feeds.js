// Tutor settings: the secret iCal addresses of the tutor's own calendars
// (Google, Apple, Outlook, Proton, Nextcloud), read every ten minutes as
// busy time that blocks their free slots (docs/calendars.md). Each
// calendar shows its status, its last read and what went wrong; "Refresh
// now" reads it at once.
import { pb, myTutor } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { dateTime } from './format.js';
import { toast, confirmDialog, errorBox, loading, pill } from './ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from './forms.js';
import { calendarFeeds } from './api.js';

/** What went wrong with a feed's last read, by internal/icalfeed's code. */
function reason(feed) {
  switch (feed.last_error) {
    case 'http_status': return t('The calendar server answered with error {status}: the address may have changed or been made private.', { status: feed.last_status });
    case 'timeout': return t('The calendar server did not answer in time.');
    case 'network': return t('The calendar server could not be reached.');
    case 'too_large': return t('The calendar is larger than 10 MB.');
    case 'too_many_redirects': return t('The address sends us on too many times.');
    case 'blocked_address': return t('The address is on a private network, which this school does not allow.');
    case 'unparsable': return t('What the address gives is not a calendar in iCal format.');
    case 'too_many_events': return t('The calendar has too many events to read.');
    case 'bad_url': return t('This is not a calendar address.');
    default: return t('Something went wrong.');
  }
}

/** The address without its secret part: the host only. */
function host(url) {
  try { return new URL(url.replace(/^webcal:/i, 'https:')).host; } catch { return ''; }
}

/** One feed: name, where it lives, status, last read, what went wrong, actions. */
function feedItem(feed, reload) {
  const refresh = h('button', { type: 'button', class: 'secondary', on: { click: async () => {
    refresh.disabled = true; refresh.setAttribute('aria-busy', 'true');
    try {
      const after = await calendarFeeds.refresh(feed.id);
      toast(after.status === 'ok' ? t('Calendar read.') : t('Could not read the calendar.'), { error: after.status !== 'ok' });
    } catch (e) { toast(e.message, { error: true }); }
    reload();
  } } }, t('Refresh now'));
  const remove = h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
    if (!await confirmDialog(t('Remove this calendar?'), t('Its busy times stop blocking your free times at once.'), { confirm: t('Remove'), danger: true })) return;
    try { await pb.collection('calendar_feeds').delete(feed.id); toast(t('Calendar removed.')); } catch (e) { toast(e.message, { error: true }); }
    reload();
  } } }, t('Remove'));
  const name = feed.name || t('Calendar');
  let state;
  if (feed.status === 'pending') state = t('Not read yet: it is read within a few minutes.');
  else if (feed.status === 'ok') state = t('Last read {when}; busy times stored: {n}.', { when: dateTime(feed.checked_at), n: feed.events });
  else {
    state = [t('Last try {when} failed: {reason}', { when: dateTime(feed.checked_at), reason: reason(feed) }), ' ',
      feed.synced_at ? t('The busy times read {when} still count.', { when: dateTime(feed.synced_at) }) : t('Nothing has been read from it yet.')];
  }
  return h('li', { class: 'card feed', dataset: { id: feed.id, status: feed.status } },
    h('div', { class: 'card-head' }, h('h3', name), pill('feed', feed.status)),
    h('p', { class: 'small muted' }, t('Secret address at {host}', { host: host(feed.url) })),
    h('p', { class: feed.status === 'failing' ? 'feed-state notice danger' : 'feed-state' }, state),
    h('div', { class: 'actions' }, refresh, remove));
}

/** The form that adds a calendar by its secret address. */
function addForm(tutor, reload) {
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('div', { class: 'grid-form' },
      field({ name: 'url', label: t('Secret iCal address'), required: true, maxlength: 2048, inputmode: 'url', autocomplete: 'off',
        hint: t('It starts with https:// or webcal:// and ends in .ics, mostly. Keep it secret: anyone who has it can see the calendar.') }),
      field({ name: 'name', label: t('Name (only you see it)'), maxlength: 100, placeholder: t('e.g. Personal') })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Add calendar'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      let rec;
      try {
        rec = await pb.collection('calendar_feeds').create({ tutor: tutor.id, url: form.elements.url.value.trim(), name: form.elements.name.value.trim() });
      } catch (err) { showErrors(form, err); return; }
      form.reset(); clearErrors(form);
      toast(t('Calendar added: reading it now.'));
      await reload();
      try { await calendarFeeds.refresh(rec.id); } catch (err) { console.warn(err); }
      await reload();
    });
  });
  return form;
}

/** Where each calendar app shows its secret address (docs/calendars.md has the details). */
function help() {
  const rows = [
    ['Google Calendar', t('On a computer: Settings, your calendar under "Settings for my calendars", "Integrate calendar", "Secret address in iCal format".')],
    ['Apple iCloud', t('On icloud.com/calendar: the share button next to the calendar, tick "Public Calendar", copy the webcal:// link.')],
    ['Outlook', t('On outlook.com or Microsoft 365: Settings, Calendar, "Shared calendars", "Publish a calendar", "Can view all details", Publish, then the ICS link.')],
    ['Proton Calendar', t('Settings, Calendars, your calendar, "Share with anyone", "Create link" (full view), copy the link.')],
    ['Nextcloud', t('Calendar app: the three dots next to the calendar, "Share link", then "Copy subscription link".')],
  ];
  return h('details', { class: 'small' }, h('summary', t('Where to find the secret address')),
    h('dl', rows.map(([app, how]) => [h('dt', app), h('dd', how)])));
}

/** The settings section of a tutor's calendars (empty for anyone else). */
export function busyFeedsBox() {
  const list = h('div', { id: 'feed-list' }, loading());
  const box = h('div', { class: 'feeds-box' },
    h('p', t('Paste the secret iCal address of each calendar you keep elsewhere (Google, Apple, Outlook, Proton, Nextcloud…). Its events block your free times here; nobody sees what they are, only that you are busy.')),
    help(),
    list);
  let tutor;
  async function reload() {
    try {
      const feeds = await pb.collection('calendar_feeds').getFullList({ filter: pb.filter('tutor = {:t}', { t: tutor.id }), sort: 'created' });
      replace(list, feeds.length ? h('ul', { class: 'feeds' }, feeds.map((f) => feedItem(f, reload))) : h('p', { class: 'empty' }, t('No calendars yet.')));
    } catch (err) { replace(list, errorBox(err)); }
  }
  myTutor().then(async (tu) => {
    tutor = tu;
    box.append(addForm(tutor, reload));
    await reload();
  }).catch((err) => replace(list, errorBox(err)));
  return box;
}

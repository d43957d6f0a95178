// The notifications inbox, updating live; mark one or all read.
import { pb } from '../pb.js';
import { h, replace } from '../dom.js';
import { topics } from '../api.js';
import { t } from '../i18n.js';
import { dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, toast } from '../ui.js';

export default async function notifications(ctx) {
  ctx.setTitle(t('Notifications'));
  const listEl = h('div', loading());
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const allBtn = h('button', { type: 'button', class: 'secondary', on: { click: readAll } }, t('Mark all as read'));
  replace(ctx.root, pageTitle(t('Notifications'), h('div', { class: 'actions' }, allBtn, h('a', { href: '/settings#notify-h' }, t('Notification settings')))), live, listEl);
  let items = [];

  async function load() {
    try {
      const res = await pb.collection('notifications').getList(1, 50, { sort: '-created' });
      if (!ctx.isCurrent()) return;
      items = res.items;
      render();
    } catch (err) { replace(listEl, errorBox(err)); }
  }

  function render() {
    const unread = items.filter((n) => !n.read_at).length;
    allBtn.disabled = unread === 0;
    replace(listEl, items.length ? h('ul', { class: 'list', id: 'inbox' }, items.map((n) => h('li', { class: n.read_at ? 'notif' : 'notif unread', dataset: { id: n.id } },
      h('div', { class: 'row' },
        h('h2', { class: 'notif-title' }, n.read_at ? null : h('span', { class: 'visually-hidden' }, t('Unread:') + ' '), n.title),
        h('span', { class: 'small muted' }, dateTime(n.created))),
      noteText(n) ? h('p', { class: 'm0 pre-line' }, noteText(n)) : null,
      h('div', { class: 'actions' },
        n.data && n.data.booking ? h('a', { href: `/lessons/${n.data.booking}` }, t('Open the lesson')) : null,
        n.read_at ? null : h('button', { type: 'button', class: 'secondary', on: { click: () => markRead(n) } }, t('Mark as read')))))) : empty(t('No notifications yet.')));
  }

  async function markRead(n) {
    try { await pb.collection('notifications').update(n.id, { read_at: new Date().toISOString() }); } catch (err) { toast(err.message, { error: true }); }
  }

  async function readAll() {
    try { const r = await pb.send('/api/notifications/read-all', { method: 'POST' }); toast(t('{n} marked as read.', { n: r.updated })); } catch (err) { toast(err.message, { error: true }); }
  }

  await load();
  const unsub = await pb.realtime.subscribe(topics.MY_NOTIFICATIONS, (e) => {
    if (e.action === 'create') { items = [e.record, ...items.filter((n) => n.id !== e.record.id)]; live.textContent = t('New notification: {title}', { title: e.record.title }); }
    else if (e.action === 'update') items = items.map((n) => (n.id === e.record.id ? e.record : n));
    else if (e.action === 'delete') items = items.filter((n) => n.id !== e.record.id);
    render();
  }).catch((e) => { console.warn(e); return null; });
  return () => { if (unsub) unsub(); };
}

/**
 * A notification's text as the app shows it: the message alone (the
 * server's app text), never the email's greeting and raw links. Older
 * notifications, written before the app text, show their short form
 * without its link.
 */
export function noteText(n) {
  if (n.app) return n.app;
  return (n.short || '').replace(/\s*https?:\/\/\S+$/, '');
}

// Conversations: the list of one's threads (staff: also the ones reported
// to them) and a thread, live: send (text and files), edit and delete
// one's own messages, report the thread to the school; staff close it.
// Bodies are plain text: links become links, nothing else is markup.
import { pb, currentUser, role } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, toast, confirmDialog, openDialog, pill } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { messages as api, topics } from '../api.js';

export default async function messagesPage(ctx) {
  return ctx.params.id ? threadPage(ctx, ctx.params.id) : listPage(ctx);
}

/** The other people of a thread, by name ("" when only oneself). */
function othersOf(thread) {
  const me = currentUser().id;
  return (thread.people || []).filter((p) => p.id !== me).map((p) => p.name).join(', ');
}

function threadTitle(thread) {
  if (thread.subject) return thread.subject;
  const others = othersOf(thread);
  if (thread.kind === 'lesson') return others ? t('Lesson with {name}', { name: others }) : t('Lesson');
  return others || t('Conversation');
}

async function listPage(ctx) {
  ctx.setTitle(t('Messages'));
  const staff = role() === 'admin';
  const listEl = h('div', loading());
  replace(ctx.root, pageTitle(t('Messages')), staff ? h('p', { class: 'muted' }, t('You see your own conversations and the ones reported to the school.')) : null, listEl);
  async function load() {
    try {
      const [res, unread] = await Promise.all([
        pb.collection('threads').getList(1, 100, { sort: '-last_message_at,-created' }),
        api.unread()]);
      if (!ctx.isCurrent()) return;
      replace(listEl, res.items.length ? h('ul', { class: 'list', id: 'threads' }, res.items.map((th) => {
        const n = unread.threads[th.id] || 0;
        return h('li', { class: n ? 'thread-item unread' : 'thread-item', dataset: { id: th.id } },
          h('div', { class: 'row' },
            h('a', { href: `/messages/${th.id}`, class: 'thread-link' }, threadTitle(th)),
            n ? h('span', { class: 'badge', 'aria-label': t('{n} unread', { n }) }, String(n)) : null,
            th.reported ? pill('thread', 'reported') : null,
            th.status === 'closed' ? pill('thread', 'closed') : null),
          h('p', { class: 'small muted m0' }, othersOf(th), th.last_message_at ? ` · ${dateTime(th.last_message_at)}` : ''));
      })) : empty(t('No conversations yet. Start one from a lesson or a tutor\'s page.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  await load();
  const unsub = await pb.realtime.subscribe(topics.MY_THREADS, () => load()).catch(() => null);
  const unsubM = await pb.realtime.subscribe(topics.MY_MESSAGES, () => load()).catch(() => null);
  return () => { if (unsub) unsub(); if (unsubM) unsubM(); };
}

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/g;

/** A message's text as nodes: plain text, and its http(s) links as links. */
export function linkify(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0];
    const trail = url.match(/[.,;:!?)\]]+$/);
    if (trail) url = url.slice(0, -trail[0].length);
    out.push(text.slice(last, m.index), h('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow ugc', 'data-external': '' }, url));
    last = m.index + url.length;
  }
  out.push(text.slice(last));
  return out;
}

async function threadPage(ctx, id) {
  ctx.setTitle(t('Messages'));
  const me = currentUser().id;
  const staff = role() === 'admin';
  let thread;
  try { thread = await pb.collection('threads').getOne(id); } catch {
    replace(ctx.root, pageTitle(t('Conversation not found')), h('p', h('a', { href: '/messages', class: 'back-link' }, t('Back to messages'))));
    return null;
  }
  let items = [];
  const head = h('div');
  const listEl = h('ol', { class: 'messages', id: 'thread-messages', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const formBox = h('div');
  replace(ctx.root, head, listEl, formBox, h('p', h('a', { href: '/messages', class: 'back-link' }, t('Back to messages'))));

  function renderHead() {
    ctx.setTitle(threadTitle(thread));
    const acts = [];
    if (!staff && !thread.reported) acts.push(h('button', { type: 'button', class: 'secondary', id: 'report-thread', on: { click: report } }, t('Report to the school')));
    if (thread.reported) acts.push(pill('thread', 'reported'));
    if (staff && thread.status === 'open') acts.push(h('button', { type: 'button', class: 'danger', id: 'close-thread', on: { click: closeThread } }, t('Close the conversation')));
    replace(head, pageTitle(threadTitle(thread)),
      h('p', { class: 'muted' }, t('With {names}', { names: othersOf(thread) || '—' }),
        thread.booking ? [' · ', h('a', { href: `/lessons/${thread.booking}` }, t('Open the lesson'))] : null),
      acts.length ? h('div', { class: 'actions' }, acts) : null);
  }

  function renderMessages() {
    replace(listEl, items.length ? items.map(messageItem) : [h('li', { class: 'empty' }, t('No messages yet: write the first one.'))]);
  }

  function messageItem(m) {
    const mine = m.author === me;
    return h('li', { class: mine ? 'message mine' : 'message', dataset: { id: m.id } },
      h('p', { class: 'small muted m0' }, h('strong', m.author_name || t('Former user')), ' · ', dateTime(m.created),
        m.edited && !m.deleted ? ` · ${t('edited')}` : ''),
      m.deleted ? h('p', { class: 'muted m0 deleted' }, t('This message was deleted.'))
        : h('p', { class: 'm0 pre-line message-body' }, linkify(m.body || '')),
      !m.deleted && (m.attachments || []).length ? h('ul', { class: 'attachments' }, m.attachments.map((f) =>
        h('li', h('button', { type: 'button', class: 'linklike', on: { click: () => openFile(m, f) } }, f)))) : null,
      mine && !m.deleted && thread.status === 'open' ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'linklike', on: { click: () => edit(m) } }, t('Edit')),
        h('button', { type: 'button', class: 'linklike', on: { click: () => remove(m) } }, t('Delete for everyone'))) : null);
  }

  function renderForm() {
    if (thread.status !== 'open') { replace(formBox, h('p', { class: 'notice', id: 'thread-closed' }, t('This conversation is closed.'))); return; }
    const form = h('form', { novalidate: true, id: 'message-form' }, errorSummary(),
      field({ name: 'body', label: t('Message'), type: 'textarea', rows: 3, maxlength: 4000 }),
      field({ name: 'attachments', label: t('Files (optional)'), type: 'file', multiple: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Send'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        const data = new FormData();
        data.append('thread', thread.id);
        data.append('author', me);
        data.append('body', form.elements.body.value);
        for (const f of form.elements.attachments.files) data.append('attachments', f);
        try {
          const m = await pb.collection('messages').create(data);
          upsert(m);
          form.reset();
          form.elements.body.focus();
        } catch (err) { showErrors(form, err, { aliases: { thread: 'body' } }); }
      });
    });
    replace(formBox, form);
  }

  function upsert(m) {
    items = items.some((x) => x.id === m.id) ? items.map((x) => (x.id === m.id ? m : x)) : [...items, m];
    renderMessages();
  }

  async function openFile(m, f) {
    try { window.open(pb.files.getURL(m, f, { token: await pb.files.getToken() }), '_blank', 'noopener'); } catch (err) { toast(err.message, { error: true }); }
  }

  function edit(m) {
    openDialog(t('Edit the message'), (body, close) => {
      const form = h('form', { novalidate: true }, errorSummary(),
        field({ name: 'body', label: t('Message'), type: 'textarea', rows: 4, value: m.body, maxlength: 4000 }),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save'))));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(form, async () => {
          try { upsert(await pb.collection('messages').update(m.id, { body: form.elements.body.value })); close(); } catch (err) { showErrors(form, err); }
        });
      });
      body.append(form);
    });
  }

  async function remove(m) {
    if (!await confirmDialog(t('Delete for everyone?'), t('Everyone in the conversation sees that a message was deleted, not what it said.'), { confirm: t('Delete'), danger: true })) return;
    try { upsert(await api.remove(m.id)); } catch (err) { toast(err.message, { error: true }); }
  }

  function report() {
    openDialog(t('Report to the school'), (body, close) => {
      const form = h('form', { novalidate: true }, errorSummary(),
        h('p', t('The school\'s staff will read this conversation and can close it.')),
        field({ name: 'reason', label: t('What is wrong? (optional)'), maxlength: 500 }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('Report'))));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(form, async () => {
          try { thread = await api.report(thread.id, form.elements.reason.value); renderHead(); close(); toast(t('The conversation was sent to the school.')); } catch (err) { showErrors(form, err); }
        });
      });
      body.append(form);
    });
  }

  async function closeThread() {
    if (!await confirmDialog(t('Close the conversation?'), t('Nobody can write in it any more.'), { confirm: t('Close'), danger: true })) return;
    try { thread = await api.close(thread.id); renderHead(); renderForm(); renderMessages(); } catch (err) { toast(err.message, { error: true }); }
  }

  async function markRead() {
    try { await api.read(thread.id); document.dispatchEvent(new CustomEvent('tutorbase:messages-read')); } catch (e) { console.warn(e); }
  }

  try {
    items = await pb.collection('messages').getFullList({ filter: pb.filter('thread = {:id}', { id }), sort: 'created', batch: 200 });
  } catch (err) { replace(listEl, h('li', errorBox(err))); }
  if (!ctx.isCurrent()) return null;
  renderHead();
  renderMessages();
  renderForm();
  markRead();
  const unsub = await pb.realtime.subscribe(topics.MY_MESSAGES, (e) => {
    if (e.record.thread !== id) return;
    upsert(e.record);
    if (e.action === 'create' && e.record.author !== me) markRead();
  }).catch(() => null);
  const unsubT = await pb.collection('threads').subscribe(id, (e) => {
    if (e.action !== 'update') return;
    const closedNow = e.record.status !== thread.status;
    thread = e.record;
    renderHead();
    if (closedNow) { renderForm(); renderMessages(); }
  }).catch(() => null);
  return () => { if (unsub) unsub(); if (unsubT) unsubT(); };
}

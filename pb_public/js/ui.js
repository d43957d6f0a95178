// Shared UI pieces: dialogs with focus handling, toasts, loading/empty/error
// states, status pills.
import { h, replace, nextId } from './dom.js';
import { t, tv } from './i18n.js';

/** Opens a modal dialog; returns {dialog, body, close}. Focus returns to the opener on close. */
export function openDialog(title, build, { onClose } = {}) {
  const opener = document.activeElement;
  const titleId = nextId('dlg');
  const body = h('div', { class: 'dialog-content' });
  const dialog = h('dialog', { 'aria-labelledby': titleId },
    h('div', { class: 'dialog-body' },
      h('div', { class: 'dialog-head' },
        h('h2', { id: titleId, tabindex: '-1' }, title),
        h('button', { type: 'button', class: 'close', 'aria-label': t('Close'), on: { click: () => close() } }, '✕')),
      body));
  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    if (dialog.open) dialog.close();
  }
  dialog.addEventListener('close', () => {
    closed = true;
    dialog.remove();
    if (onClose) onClose();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
  });
  document.body.append(dialog);
  if (build) build(body, close);
  dialog.showModal();
  const first = body.querySelector('input:not([type=hidden]), select, textarea, button');
  (first || dialog.querySelector('h2')).focus();
  return { dialog, body, close };
}

/** A yes/no question in a dialog; resolves true when confirmed. */
export function confirmDialog(title, message, { confirm = t('Confirm'), danger = false } = {}) {
  return new Promise((resolve) => {
    let answered = false;
    openDialog(title, (body, close) => {
      body.append(
        typeof message === 'string' ? h('p', message) : message,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: danger ? 'danger' : '', on: { click: () => { answered = true; resolve(true); close(); } } }, confirm),
          h('button', { type: 'button', class: 'secondary', on: { click: () => close() } }, t('Back'))));
    }, { onClose: () => { if (!answered) resolve(false); } });
  });
}

export function toast(message, { error = false } = {}) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: error ? 'toast error' : 'toast' }, message);
  box.append(el);
  setTimeout(() => el.remove(), 6000);
}

export function loading(text = t('Loading…')) { return h('p', { class: 'loading', role: 'status' }, text); }
export function empty(text) { return h('p', { class: 'empty' }, text); }
export function errorBox(err) {
  const msg = (err && err.response && err.response.message) || (err && err.message) || t('Something went wrong.');
  return h('div', { class: 'notice danger', role: 'alert' }, t('Could not load this: {message}', { message: msg }));
}

/** Renders loading, then the result of load() via show(), or an error. */
export async function withLoading(el, load, show) {
  replace(el, loading());
  try {
    const data = await load();
    replace(el);
    show(el, data);
  } catch (err) {
    if (err && err.isAbort) return;
    console.warn(err);
    replace(el, errorBox(err));
  }
}

export function pill(group, value) {
  return h('span', { class: `status status-${value}` }, tv(group, value));
}

/** A heading that routing focuses after navigation. */
export function pageTitle(text, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, text), ...extra);
}

export function table(headers, rows, { caption } = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', h('tr', headers.map((x) => (typeof x === 'string' ? h('th', { scope: 'col' }, x) : h('th', { scope: 'col', class: x.class }, x.text))))),
      h('tbody', rows)));
}

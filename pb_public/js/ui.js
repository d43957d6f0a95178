// Shared UI pieces: dialogs with focus handling, toasts, loading/empty/error
// states, status pills.
import { h, replace, nextId } from './dom.js';
import { t, tv } from './i18n.js';
import { avatarUrl } from './api.js';

/**
 * Opens a modal dialog; returns {dialog, body, close}. Focus moves into it
 * (its first field or button once build has run, else its title) and
 * returns to the opener on close, or, when the opener is gone (the page
 * re-rendered it), to an element with the same data-start, else the page's
 * heading. A dialog is closed when the page changes (app.js).
 */
export function openDialog(title, build, { onClose } = {}) {
  const opener = document.activeElement;
  const openerStart = opener && opener.dataset ? opener.dataset.start : null;
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
    restoreFocus(opener, openerStart);
  });
  document.body.append(dialog);
  const built = build ? build(body, close) : null;
  dialog.showModal();
  const focusFirst = () => {
    if (closed || dialog.contains(document.activeElement) && document.activeElement !== dialog.querySelector('h2')) return;
    const first = body.querySelector('input:not([type=hidden]):not([disabled]), select, textarea, button:not([disabled]), a[href]');
    (first || dialog.querySelector('h2')).focus();
  };
  focusFirst();
  if (built && typeof built.then === 'function') built.then(focusFirst, (e) => console.warn(e));
  return { dialog, body, close };
}

function restoreFocus(opener, openerStart) {
  if (opener && opener.isConnected && typeof opener.focus === 'function' && opener !== document.body) { opener.focus(); return; }
  const twin = openerStart && document.querySelector(`[data-start="${CSS.escape(openerStart)}"]`);
  const target = twin || document.querySelector('main h1');
  if (target) { if (!twin) target.setAttribute('tabindex', '-1'); target.focus(); }
}

/** Closes every open dialog (the page changed under them). */
export function closeDialogs() {
  for (const d of document.querySelectorAll('dialog[open]')) d.close();
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

/** A message (text or an element, say with a link) that shows for a while. */
export function toast(message, { error = false, ms = 6000 } = {}) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: error ? 'toast error' : 'toast' }, message);
  box.append(el);
  setTimeout(() => el.remove(), ms);
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

/**
 * A tutor's photo ('small': 96 px file, 'large': 320 px) or, without one,
 * their initial. Decorative: the name is always next to it.
 */
export function avatar(tutor, { size = 'small', className = '' } = {}) {
  const url = avatarUrl(tutor, size);
  const cls = ['avatar', `avatar-${size}`, className];
  if (url) return h('img', { class: cls, src: url, alt: '', loading: 'lazy', decoding: 'async', width: size === 'large' ? 160 : 48, height: size === 'large' ? 160 : 48 });
  return h('span', { class: cls, 'aria-hidden': 'true' }, ((tutor && (tutor.name || tutor.tutor_name)) || '?').slice(0, 1));
}

export function pill(group, value) {
  return h('span', { class: `status status-${value}` }, tv(group, value));
}

/** A heading that routing focuses after navigation. */
export function pageTitle(text, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, text), ...extra);
}

/**
 * A table in a box that scrolls sideways when it must (and is focusable
 * then, so keys scroll it), named by the caption. stack: on a phone each row becomes a small card,
 * each cell labelled with its column.
 */
export function table(headers, rows, { caption, stack = false } = {}) {
  const names = headers.map((x) => (typeof x === 'string' ? x : x.text));
  for (const tr of [rows].flat(Infinity)) {
    if (!(tr instanceof Element)) continue;
    [...tr.children].forEach((td, i) => { if (names[i] && td.tagName === 'TD') td.dataset.label = names[i]; });
  }
  const wrap = h('div', { class: 'table-wrap', role: 'group', 'aria-label': caption || null },
    h('table', { class: stack ? 'stack' : null }, caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', h('tr', headers.map((x) => (typeof x === 'string' ? h('th', { scope: 'col' }, x) : h('th', { scope: 'col', class: x.class }, x.text))))),
      h('tbody', rows)));
  // a box that scrolls sideways can be scrolled from the keyboard
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute('tabindex', '0'); else wrap.removeAttribute('tabindex');
    }).observe(wrap);
  }
  return wrap;
}

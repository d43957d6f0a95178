// Uploading lesson materials: a drop zone that takes several files at once
// (or the file chooser), each sent on its own with a progress bar, within
// the school's limits (checked here first, so a file the server would
// refuse is never sent; the server checks again).
import { h, nextId } from './dom.js';
import { t } from './i18n.js';
import { materials as api } from './api.js';

/** The school's limits on a material: {maxMB, types}. */
export function limitsOf(school) {
  const types = Array.isArray(school.material_types) && school.material_types.length ? school.material_types : [];
  return { maxMB: Number(school.material_max_mb) || 50, types };
}

/** The extension of a file name, lower case, without the dot. */
const extOf = (name) => { const m = /\.([^.]+)$/.exec(name || ''); return m ? m[1].toLowerCase() : ''; };

/** Why the school would refuse file (the server's own sentences), or ''. */
export function refusal(file, limits) {
  if (file.size > limits.maxMB * 1024 * 1024) return t('This file is too large: each file can be at most {n} MB.', { n: limits.maxMB });
  const ext = extOf(file.name);
  if (limits.types.length && !limits.types.includes(ext)) {
    return t('Files of type {type} are not accepted. Accepted types: {types}.', { type: ext || t('(none)'), types: limits.types.join(', ') });
  }
  return '';
}

/** A title from a file name: without its extension, separators as spaces. */
export const titleOf = (name) => (name.replace(/\.[^.]+$/, '').replace(/[_]+/g, ' ').trim() || name).slice(0, 200);

/** The server's word on a failed upload, for a person. */
function failure(err) {
  const data = (err && err.response && err.response.data) || {};
  const field = data.file || data.url || data.previous || data.title || Object.values(data)[0];
  if (field && field.message) return field.message;
  if (err && err.status === 0) return t('The upload was interrupted. Try again.');
  return (err && err.response && err.response.message) || t('Something went wrong.');
}

/**
 * Sends file with fields, showing a progress line in list; resolves the
 * new record, or null when refused (the reason shown on the line).
 */
export async function sendFile(list, limits, fields, file) {
  const bar = h('progress', { max: 100, value: 0, 'aria-label': t('Uploading {name}', { name: file.name }) });
  const status = h('span', { class: 'upload-status small' }, t('Uploading…'));
  const li = h('li', { class: 'upload', dataset: { name: file.name } }, h('span', { class: 'upload-name' }, file.name), bar, status);
  list.append(li);
  const why = refusal(file, limits);
  if (why) {
    bar.remove();
    li.classList.add('failed');
    status.textContent = why;
    return null;
  }
  try {
    const rec = await api.upload(fields, file, (p) => { bar.value = Math.round(p * 100); });
    bar.value = 100;
    li.classList.add('done');
    status.textContent = t('Uploaded.');
    return rec;
  } catch (err) {
    li.classList.add('failed');
    status.textContent = failure(err);
    return null;
  }
}

/**
 * The drop zone: files dropped on it or chosen are uploaded at once, each
 * with fields() (owner, folder) and its own title; onUploaded runs when
 * they are all done, with the records made.
 */
export function uploadZone({ limits, fields, onUploaded }) {
  const id = nextId('files');
  const hintId = `${id}-hint`;
  const list = h('ul', { class: 'uploads', 'aria-live': 'polite' });
  const input = h('input', {
    type: 'file', id, multiple: true, 'aria-describedby': hintId,
    accept: limits.types.length ? limits.types.map((x) => `.${x}`).join(',') : null,
  });
  const zone = h('div', { class: 'dropzone' },
    h('label', { for: id }, t('Choose files or drop them here')),
    h('span', { class: 'hint', id: hintId }, t('Several at once; each up to {n} MB.', { n: limits.maxMB })),
    input);
  async function take(files) {
    const done = await Promise.all([...files].map((f) => sendFile(list, limits, { ...fields(), title: titleOf(f.name) }, f)));
    input.value = '';
    onUploaded(done.filter(Boolean));
  }
  input.addEventListener('change', () => { if (input.files.length) take(input.files); });
  for (const ev of ['dragenter', 'dragover']) {
    zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.add('over'); });
  }
  zone.addEventListener('dragleave', (e) => { if (!zone.contains(e.relatedTarget)) zone.classList.remove('over'); });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files.length) take(e.dataTransfer.files);
  });
  return { element: h('div', { class: 'uploader' }, zone, list), list };
}

/** Asks for one file (the system's chooser) and resolves it, or null. */
export function chooseFile(limits) {
  return new Promise((resolve) => {
    const input = h('input', { type: 'file', hidden: true, accept: limits.types.length ? limits.types.map((x) => `.${x}`).join(',') : null });
    input.addEventListener('change', () => { resolve(input.files[0] || null); input.remove(); });
    input.addEventListener('cancel', () => { resolve(null); input.remove(); });
    document.body.append(input);
    input.click();
  });
}

// A tutor's photo on their profile page: choose an image, frame it (zoom
// and position, shown live in a square), save. The browser sends the
// framed square (at most 640 px, JPEG); the server stores it as a
// PocketBase file and makes its two sizes (hooks/avatars.go).
import { pb } from './pb.js';
import { h, replace, nextId } from './dom.js';
import { t } from './i18n.js';
import { avatar, toast } from './ui.js';
import { errorSummary, showErrors, busy } from './forms.js';

const OUT = 640; // the square sent to the server, in pixels
const PREVIEW = 240;

/** The part of an image w×h shown for zoom (1 = the largest square) and position (0–100 each). */
export function cropBox(w, h2, zoom, x, y) {
  const side = Math.min(w, h2) / zoom;
  return { sx: (w - side) * x / 100, sy: (h2 - side) * y / 100, side };
}

function slider(label, value, min, max, step, onInput) {
  const id = nextId('crop');
  const input = h('input', { id, type: 'range', min, max, step, value, on: { input: onInput } });
  return { input, el: h('div', { class: 'field' }, h('label', { for: id }, label), input) };
}

/** The photo editor for tutor; onSaved(record) after a change. */
export function avatarEditor(tutor, onSaved) {
  let record = tutor;
  const current = h('div', { class: 'avatar-current' });
  const summary = errorSummary();
  const fileId = nextId('avatar');
  const file = h('input', { id: fileId, type: 'file', name: 'avatar', accept: 'image/jpeg,image/png,image/webp' });
  const canvas = h('canvas', { class: 'avatar-crop', width: PREVIEW, height: PREVIEW, role: 'img', 'aria-label': t('Preview of your photo') });
  let img = null;
  let url = null;
  const state = { zoom: 1, x: 50, y: 50 };
  const draw = (target, size) => {
    const c = target.getContext('2d');
    c.fillStyle = '#ffffff';
    c.fillRect(0, 0, size, size);
    if (!img) return;
    const b = cropBox(img.naturalWidth, img.naturalHeight, state.zoom, state.x, state.y);
    c.drawImage(img, b.sx, b.sy, b.side, b.side, 0, 0, size, size);
  };
  const zoom = slider(t('Zoom'), 1, 1, 3, 0.05, (e) => { state.zoom = Number(e.target.value); draw(canvas, PREVIEW); });
  const x = slider(t('Left to right'), 50, 0, 100, 1, (e) => { state.x = Number(e.target.value); draw(canvas, PREVIEW); });
  const y = slider(t('Top to bottom'), 50, 0, 100, 1, (e) => { state.y = Number(e.target.value); draw(canvas, PREVIEW); });
  const save = h('button', { type: 'submit' }, t('Save photo'));
  const framing = h('div', { class: 'avatar-framing', hidden: true }, canvas, h('div', { class: 'avatar-sliders' }, zoom.el, x.el, y.el));
  const remove = h('button', { type: 'button', class: 'secondary danger' }, t('Remove photo'));
  const form = h('form', { class: 'card avatar-editor', novalidate: true }, summary,
    h('div', { class: 'row' }, current, h('div', { class: 'field grow' },
      h('label', { for: fileId }, t('Choose a photo')), h('span', { class: 'hint', id: `${fileId}-hint` }, t('JPEG, PNG or WebP. You frame it here; students see it as a circle.')), file)),
    framing,
    h('div', { class: 'actions' }, save, remove));
  file.setAttribute('aria-describedby', `${fileId}-hint`);

  const showCurrent = () => {
    replace(current, avatar(record, { size: 'large' }));
    remove.hidden = !record.avatar;
    save.hidden = !img;
  };
  showCurrent();

  file.addEventListener('change', () => {
    const f = file.files && file.files[0];
    if (url) URL.revokeObjectURL(url);
    img = null;
    framing.hidden = true;
    showCurrent();
    if (!f) return;
    url = URL.createObjectURL(f);
    const pic = h('img', { alt: '', on: {
      load: () => { img = pic; framing.hidden = false; draw(canvas, PREVIEW); showCurrent(); },
      error: () => { replace(summary, h('p', { class: 'm0' }, t('This file is not an image we can read.'))); summary.focus(); },
    } });
    pic.src = url; // decoded off the page, drawn on the canvas
  });

  const upload = (data) => busy(form, async () => {
    try {
      record = await pb.collection('tutors').update(record.id, data);
      img = null; file.value = ''; framing.hidden = true; replace(summary);
      showCurrent();
      toast(t('Photo saved.'));
      if (onSaved) onSaved(record);
    } catch (err) { showErrors(form, err); }
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!img) return;
    const out = h('canvas', { width: OUT, height: OUT });
    draw(out, OUT);
    out.toBlob((blob) => {
      const fd = new FormData();
      fd.append('avatar', blob, 'photo.jpg');
      upload(fd);
    }, 'image/jpeg', 0.9);
  });
  remove.addEventListener('click', () => upload({ avatar: null }));
  return form;
}

// The tutor's dialogs on their materials (share with their own students or
// attach to one of their lessons, add a link, move to a folder) and the
// staff's form of the school's upload limits.
import { pb, currentUser, school } from './pb.js';
import { h, nextId } from './dom.js';
import { t } from './i18n.js';
import { dateTime, parseDate } from './format.js';
import { openDialog, toast } from './ui.js';
import { field, checkGroup, checkedValues, errorSummary, showErrors, busy } from './forms.js';
import { materials as api, googleDrive } from './api.js';
import { pickerButton } from './google-picker.js';

/**
 * The signed-in tutor's students (whoever booked them, a lesson not
 * cancelled) and their lessons from two months ago on:
 * {students: [[id, name]], lessons: [[id, label]]}.
 */
export async function myTeaching() {
  const me = currentUser().id;
  const booked = await pb.collection('bookings').getList(1, 500, {
    filter: pb.filter('tutor_user = {:me} && status != "cancelled"', { me }), sort: '-start', fields: 'id,student,student_name,start',
  });
  const students = new Map();
  for (const b of booked.items) if (!students.has(b.student)) students.set(b.student, b.student_name);
  const since = Date.now() - 60 * 86400000;
  const lessons = booked.items.filter((b) => (parseDate(b.start) || 0) >= since).reverse()
    .map((b) => [b.id, `${b.student_name} · ${dateTime(b.start)}`]);
  return { students: [...students].sort((a, b) => a[1].localeCompare(b[1])), lessons };
}

/** The names of the students a material is shared with, from teaching. */
export function sharedNames(m, teaching) {
  const names = new Map(teaching ? teaching.students : []);
  return (m.shared_with || []).map((id) => names.get(id) || t('a former student'));
}

/** Opens the dialog sharing m with some of the tutor's students or attaching it to a lesson. */
export function shareDialog(m, teaching, onSaved) {
  openDialog(t('Share {title}', { title: m.title }), (body, close) => {
    const lessons = [...teaching.lessons];
    if (m.booking && !lessons.some(([id]) => id === m.booking)) lessons.unshift([m.booking, t('The lesson it is attached to')]);
    const form = h('form', { novalidate: true }, errorSummary(),
      teaching.students.length
        ? checkGroup({ name: 'shared_with', legend: t('Share with your students'), options: teaching.students, values: m.shared_with || [],
          hint: t('They see it on their Materials page and on their lessons with you.') })
        : h('p', { class: 'muted' }, t('Students who book a lesson with you appear here.')),
      field({ name: 'booking', label: t('Attach to a lesson'), type: 'select', value: m.booking || '', options: [['', t('No lesson')], ...lessons] }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save sharing')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          await pb.collection('materials').update(m.id, { shared_with: checkedValues(form, 'shared_with'), booking: form.elements.booking.value });
          toast(t('Sharing saved.'));
          if (googleDrive.isDrive(m.url)) {
            // a Drive file is shared at Google too, from the tutor's connected account
            googleDrive.share(m.id).then((r) => toast(t('Shared on Google Drive with {n} people.', { n: r.shared.length })), (err2) => toast(err2.message, { error: true }));
          }
          close();
          onSaved();
        } catch (err) { showErrors(form, err); }
      });
    });
    body.append(form);
  });
}

/** A text field for a folder's name, offering the folders there are. */
function folderField(folders, value, label) {
  const listId = nextId('folders');
  const f = field({ name: 'folder', label, value, maxlength: 200, hint: t('Leave it empty for no folder.') });
  const input = f.querySelector('input');
  input.setAttribute('list', listId);
  input.setAttribute('autocomplete', 'off');
  f.append(h('datalist', { id: listId }, folders.map((x) => h('option', { value: x }))));
  return f;
}

/** Opens the dialog adding a link (a video, a shared document) as a material in folder. */
export function linkDialog(folders, folder, onSaved) {
  openDialog(t('Add a link'), (body, close) => {
    const form = h('form', { novalidate: true }, errorSummary(),
      field({ name: 'title', label: t('Title'), required: true, maxlength: 200 }),
      field({ name: 'url', label: t('Web address'), type: 'url', required: true, placeholder: 'https://', hint: t('A video or a shared document: an address that starts with http:// or https://.') }),
      h('div', { class: 'picker-slot' }),
      folderField(folders, folder, t('Folder')),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Add the link')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        const fd = new FormData(form);
        try {
          await pb.collection('materials').create({ owner: currentUser().id, title: fd.get('title').trim(), url: fd.get('url').trim(), folder: fd.get('folder').trim() });
          toast(t('Link added.'));
          close();
          onSaved();
        } catch (err) { showErrors(form, err); }
      });
    });
    body.append(form);
    pickerButton(form.querySelector('.picker-slot'), { url: form.elements.url, title: form.elements.title });
  });
}

/** Opens the dialog moving the materials ids to a folder. */
export function moveDialog(ids, folders, onSaved) {
  openDialog(t('Move {n} materials', { n: ids.length }), (body, close) => {
    const form = h('form', { novalidate: true }, errorSummary(), folderField(folders, '', t('Move to the folder')),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Move')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const res = await api.move(ids, form.elements.folder.value.trim());
          toast(t('{n} moved.', { n: res.moved }));
          close();
          onSaved();
        } catch (err) { showErrors(form, err); }
      });
    });
    body.append(form);
  });
}

/** The staff's form of the school's upload limits: size of each file, types accepted. */
export function limitsForm(s, onSaved) {
  const form = h('form', { novalidate: true, class: 'card' }, errorSummary(),
    h('div', { class: 'grid-form' },
      field({ name: 'material_max_mb', label: t('Largest file (MB)'), type: 'number', min: 1, max: 2048, required: true, value: s.material_max_mb || 50 })),
    field({ name: 'material_types', label: t('File types accepted'), type: 'textarea', rows: 2, value: (s.material_types || []).join(', '),
      hint: t('Extensions separated by commas, such as pdf, docx, mp4.') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save limits'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const types = form.elements.material_types.value.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
      try {
        const saved = await pb.collection('school').update(s.id, { material_max_mb: Number(form.elements.material_max_mb.value), material_types: types });
        await school(true);
        toast(t('Limits saved.'));
        onSaved(saved);
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

// Lesson reports, homework and private notes on the lesson page and the
// "To do" list (internal/app/teaching, docs/teaching.md).
import { pb, subjects, currentUser } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { viewerZone, longDate, dateTime, parseDate, zonedToUtc, parts } from './format.js';
import { toast } from './ui.js';
import { field, errorSummary, showErrors, busy, checkGroup, checkedValues } from './forms.js';
import { teaching } from './api.js';

/** Whether a booking's lesson is over and can have a report. */
export function reportable(b) {
  if (b.status === 'cancelled' || b.status === 'no_show') return false;
  return b.status === 'completed' || parseDate(b.end) <= new Date();
}

/** The report of a lesson, or null. */
export function reportOf(bookingId) {
  return pb.collection('lesson_reports').getFirstListItem(pb.filter('booking = {:id}', { id: bookingId })).catch((e) => {
    if (e.status === 404) return null;
    throw e;
  });
}

/** "Due Fri 3 December 2027" in the viewer's zone, or "". */
export function dueText(due) {
  return due ? t('Due {date}', { date: longDate(due, viewerZone()) }) : '';
}

/** A report as its student (and tutor) read it. */
export function reportView(r, names) {
  const ratings = Object.entries(r.ratings || {});
  return h('dl', { class: 'kv card report', id: 'report' },
    r.topics ? [h('dt', t('Topics covered')), h('dd', { class: 'prewrap' }, r.topics)] : null,
    ratings.length ? [h('dt', t('Progress')), h('dd', ratings.map(([s, v]) => h('span', { class: 'rating', dataset: { subject: s } },
      `${names.get(s) || s}: `, h('strong', t('{n} of 5', { n: v })))))] : null,
    r.comment ? [h('dt', t('Comment')), h('dd', { class: 'prewrap' }, r.comment)] : null,
    r.homework ? [h('dt', t('Homework')), h('dd', h('span', { class: 'prewrap' }, r.homework), r.due ? [h('br'), h('span', { class: 'small' }, dueText(r.due))] : null)] : null,
    r.homework ? [h('dt', t('Homework status')), h('dd', { class: 'homework-status' }, homeworkStatus(r))] : null);
}

function homeworkStatus(r) {
  if (!r.homework_done_at) return t('Not done yet');
  const done = t('Done on {date}', { date: dateTime(r.homework_done_at) });
  if (!r.homework_file) return done;
  return [done, ' · ', h('button', { type: 'button', class: 'linklike', on: { click: () => openFile(r) } }, t('Open the attached file'))];
}

async function openFile(r) {
  try {
    const token = await pb.files.getToken();
    window.open(pb.files.getURL(r, r.homework_file, { token }), '_blank', 'noopener');
  } catch (err) { toast(t('The file could not be opened.'), { error: true }); console.warn(err); }
}

/** The student's "Mark as done" form (with an optional file) for a report's homework. */
export function homeworkDoneForm(r, onDone) {
  const form = h('form', { class: 'homework-done', novalidate: true }, errorSummary(),
    field({ name: 'file', label: t('Attach your work (optional)'), type: 'file' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Mark as done'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const file = form.elements.file.files[0];
        const rec = await teaching.homeworkDone(r.id, file);
        toast(t('Homework marked done.'));
        onDone(rec);
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

/** The tutor's form to write or change a lesson's report. */
export async function reportForm(b, r, onSaved) {
  const zone = viewerZone();
  const [all, mats] = await Promise.all([
    subjects().catch(() => []),
    pb.collection('materials').getList(1, 50, { filter: pb.filter('owner = {:me}', { me: currentUser().id }), sort: '-created', fields: 'id,title' }).then((x) => x.items).catch(() => []),
  ]);
  const [rated, rating] = Object.entries((r && r.ratings) || {})[0] || [b.subject || '', ''];
  const dueValue = r && r.due ? (() => { const p = parts(parseDate(r.due), zone); return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`; })() : '';
  const form = h('form', { class: 'report-form', novalidate: true }, errorSummary(),
    field({ name: 'topics', label: t('Topics covered'), type: 'textarea', value: r ? r.topics : '', maxlength: 5000 }),
    h('div', { class: 'grid2' },
      field({ name: 'subject', label: t('Subject rated'), type: 'select', value: rated, options: [['', t('None')], ...all.map((s) => [s.id, s.name])] }),
      field({ name: 'rating', label: t('Progress rating'), type: 'select', value: rating, options: [['', '—'], ...[1, 2, 3, 4, 5].map((n) => [String(n), t('{n} of 5', { n })])] })),
    field({ name: 'comment', label: t('Comment for the student'), type: 'textarea', value: r ? r.comment : '', maxlength: 5000 }),
    field({ name: 'homework', label: t('Homework'), type: 'textarea', value: r ? r.homework : '', maxlength: 5000 }),
    field({ name: 'due', label: t('Homework due'), type: 'date', value: dueValue, hint: t('The end of that day, in {zone}.', { zone }) }),
    mats.length ? checkGroup({ name: 'materials', legend: t('Materials for the homework'), options: mats.map((m) => [m.id, m.title]), values: (r && r.materials) || [], hint: t('Shared with the student when you save.') }) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, r ? t('Save the report') : t('Send the report'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const el = form.elements;
    const body = { topics: el.topics.value, comment: el.comment.value, homework: el.homework.value, ratings: {}, due: '' };
    if (el.subject.value && el.rating.value) body.ratings[el.subject.value] = Number(el.rating.value);
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(el.due.value);
    if (m) body.due = zonedToUtc(+m[1], +m[2], +m[3], 23, 59, zone).toISOString();
    if (mats.length) body.materials = checkedValues(form, 'materials');
    busy(form, async () => {
      try {
        const rec = r ? await pb.collection('lesson_reports').update(r.id, body) : await pb.collection('lesson_reports').create({ ...body, booking: b.id });
        toast(t('Report saved.'));
        onSaved(rec);
      } catch (err) { showErrors(form, err, { aliases: { ratings: 'rating' } }); }
    });
  });
  return form;
}

/** The tutor's private notes about a lesson's student, and a form to add one. */
export async function privateNotes(b) {
  const list = h('ul', { class: 'notes-list' });
  const box = h('section', { class: 'private-notes', 'aria-labelledby': 'notes-h' },
    h('h2', { id: 'notes-h' }, t('Private notes about {name}', { name: b.student_name })),
    h('p', { class: 'hint' }, t('Only you and the school staff see these notes, never the student.')), list);
  async function load() {
    const notes = await pb.collection('tutor_notes').getList(1, 50, { filter: pb.filter('student = {:s}', { s: b.student }), sort: '-created' });
    replace(list, notes.items.length ? notes.items.map((n) => h('li', h('span', { class: 'prewrap' }, n.body), h('br'), h('span', { class: 'small muted' }, dateTime(n.created)))) : h('li', { class: 'muted' }, t('No notes yet.')));
  }
  const form = h('form', { novalidate: true }, errorSummary(),
    field({ name: 'body', label: t('New private note'), type: 'textarea', maxlength: 5000, rows: 3 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('Add the note'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await pb.collection('tutor_notes').create({ student: b.student, booking: b.id, body: form.elements.body.value });
        form.elements.body.value = '';
        await load();
      } catch (err) { showErrors(form, err); }
    });
  });
  box.append(form);
  await load().catch((err) => { replace(list, h('li', t('The notes could not be loaded.'))); console.warn(err); });
  return box;
}

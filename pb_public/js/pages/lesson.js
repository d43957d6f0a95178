// One lesson: details, actions, its materials (attached to it, or shared
// by its tutor with its student) and the notes field (the only field a
// direct update may change).
import { pb, subjectNames } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { viewerZone, timeRange, money, dateTime } from '../format.js';
import { pageTitle, loading, pill, toast, avatar } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { lessonActions, partyOf } from '../lesson-actions.js';
import { awaitsPayment, cancelReason, paymentPill } from '../lesson-item.js';
import { payByText } from '../booking.js';
import { lessonMaterials, materialList } from '../materials.js';
import { reportable, reportOf, reportView, reportForm, homeworkDoneForm, privateNotes } from '../teaching.js';
import { messages } from '../api.js';
import { navigate } from '../router.js';

// The lesson's conversation (made on first use), between its tutor, its
// student and the student's guardians.
async function openThread(b) {
  try { navigate(`/messages/${(await messages.lessonThread(b.id)).id}`); } catch (err) { toast(err.message, { error: true }); }
}

export default async function lesson(ctx) {
  ctx.setTitle(t('Lesson'));
  const names = await subjectNames().catch(() => new Map());
  const box = h('div', loading());
  replace(ctx.root, box);
  async function load() {
    let b;
    try { b = await pb.collection('bookings').getOne(ctx.params.id, { expand: 'tutor' }); } catch {
      replace(box, pageTitle(t('Lesson not found')), h('p', h('a', { href: '/lessons', class: 'back-link' }, t('Back to my lessons'))));
      return;
    }
    if (!ctx.isCurrent()) return;
    let review = null;
    if (b.status === 'completed' && partyOf(b) === 'student') {
      review = await pb.collection('reviews').getFirstListItem(pb.filter('booking = {:id}', { id: b.id })).catch(() => null);
    }
    const mats = await lessonMaterials(b).then((r) => materialList(r.items), (e) => { console.warn(e); return h('p', { class: 'muted' }, t('The materials could not be loaded.')); });
    if (!ctx.isCurrent()) return;
    const notesForm = h('form', { novalidate: true }, errorSummary(),
      field({ name: 'notes', label: t('Notes'), type: 'textarea', value: b.notes, maxlength: 2000, hint: t('Both of you see these notes.') }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('Save notes'))));
    notesForm.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(notesForm, async () => {
        try { await pb.collection('bookings').update(b.id, { notes: notesForm.elements.notes.value }); toast(t('Notes saved.')); } catch (err) { showErrors(notesForm, err); }
      });
    });
    replace(box,
      h('div', { class: 'lesson-title' }, avatar((b.expand && b.expand.tutor) || { id: b.tutor, name: b.tutor_name }),
        pageTitle(t('Lesson with {name}', { name: partyOf(b) === 'tutor' ? b.student_name : b.tutor_name }))),
      h('dl', { class: 'kv card' },
        h('dt', t('When')), h('dd', timeRange(b.start, b.end, viewerZone())),
        h('dt', t('Status')), h('dd', pill('status', b.status), b.late_cancel ? ` (${t('late cancel')})` : ''),
        h('dt', t('Tutor')), h('dd', h('a', { href: `/tutors/${b.tutor}` }, b.tutor_name)),
        h('dt', t('Student')), h('dd', b.student_name),
        b.subject ? [h('dt', t('Subject')), h('dd', names.get(b.subject) || b.subject)] : null,
        h('dt', t('Price')), h('dd', b.price ? money(b.price, b.currency) : t('free'), paymentPill(b) ? [' · ', paymentPill(b)] : null),
        awaitsPayment(b) ? [h('dt', t('Payment due')), h('dd', { class: 'pay-by' }, payByText(b.pay_by))] : null,
        b.meeting_url && b.status === 'confirmed' ? [h('dt', t('Meeting link')), h('dd', h('a', { href: b.meeting_url, target: '_blank', rel: 'noopener', 'data-external': '' }, b.meeting_url))] : null,
        b.meet_pending && b.status === 'confirmed' ? [h('dt', t('Meeting link')), h('dd', { class: 'meet-pending' }, t('The Google Meet link is being created; it appears here within a few minutes.'))] : null,
        b.cancelled_at ? [h('dt', t('Cancelled')), h('dd', dateTime(b.cancelled_at), b.cancel_reason ? ` · ${cancelReason(b.cancel_reason)}` : '')] : null),
      lessonActions(b, { onChanged: load, review, detailsLink: false }),
      h('p', h('button', { type: 'button', class: 'secondary', id: 'lesson-messages', on: { click: () => openThread(b) } }, t('Messages about this lesson'))),
      h('section', { id: 'lesson-materials', 'aria-labelledby': 'lesson-materials-h' }, h('h2', { id: 'lesson-materials-h' }, t('Materials')), mats,
        partyOf(b) === 'tutor' ? h('p', { class: 'small' }, h('a', { href: '/materials' }, t('Share materials on the Materials page'))) : null),
      await reportSection(b, names, load),
      h('h2', t('Notes')), notesForm,
      partyOf(b) === 'tutor' ? await privateNotes(b) : null,
      h('p', h('a', { href: '/lessons', class: 'back-link' }, t('Back to my lessons'))));
  }
  await load();
  const unsubReports = await pb.collection('lesson_reports').subscribe('*', (e) => { if (e.record.booking === ctx.params.id) load(); }).catch(() => null);
  const unsub = await pb.collection('bookings').subscribe(ctx.params.id, () => load()).catch(() => null);
  return () => { if (unsub) unsub(); if (unsubReports) unsubReports(); };
}

// The lesson's report: the tutor writes or changes it once the lesson is
// over; the student reads it and marks the homework done.
async function reportSection(b, names, reload) {
  const party = partyOf(b);
  const r = await reportOf(b.id).catch(() => null);
  const head = h('h2', { id: 'report-h' }, t('Lesson report'));
  const progress = party === 'tutor' || party === 'staff'
    ? h('p', h('a', { href: `/students/${b.student}/progress` }, t('Progress of {name}', { name: b.student_name }))) : null;
  const parts = [head];
  if (party === 'tutor') {
    if (!reportable(b)) parts.push(h('p', { class: 'muted' }, b.status === 'cancelled' || b.status === 'no_show' ? t('This lesson has no report.') : t('You can write the report once the lesson is over.')));
    else {
      if (r) parts.push(reportView(r, names));
      parts.push(await reportForm(b, r, () => reload()));
    }
  } else if (r) {
    parts.push(reportView(r, names));
    if (party === 'student' && r.homework && !r.homework_done_at) parts.push(homeworkDoneForm(r, () => reload()));
  } else if (reportable(b)) parts.push(h('p', { class: 'muted' }, t('No report yet.')));
  else return progress;
  return h('section', { class: 'lesson-report', 'aria-labelledby': 'report-h' }, parts, progress);
}

// Tutor: weekly availability windows and time off, with a preview of the
// free slots they give.
import { pb, myTutor, currentUser, pbDate } from '../pb.js';
import { cancelLessonsForTimeOff } from '../api.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { timeRange, toLocalInput, fromLocalInput, longDate, clock } from '../format.js';
import { pageTitle, loading, empty, errorBox, table, confirmDialog, toast, openDialog } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { slotWeek } from '../week.js';

const CLOCKS = [];
for (let m = 0; m < 24 * 60; m += 15) CLOCKS.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const dateOnly = (v) => (v ? String(v).slice(0, 10) : '');
const hours = (w) => `${clock(w.start)}–${w.end === '24:00' ? t('midnight') : clock(w.end)}`;

function windowForm(tutor, w, onSaved, close) {
  const form = h('form', { novalidate: true }, errorSummary(),
    h('div', { class: 'grid-form' },
      field({ name: 'weekday', label: t('Day'), type: 'select', value: w ? w.weekday : 1, options: [1, 2, 3, 4, 5, 6, 7].map((d) => [d, tv('weekday', d)]) }),
      field({ name: 'start', label: t('From'), type: 'select', value: w ? w.start : '09:00', options: CLOCKS.map((c) => [c, clock(c)]) }),
      field({ name: 'end', label: t('Until'), type: 'select', value: w ? w.end : '13:00', options: [...CLOCKS.map((c) => [c, clock(c)]), ['24:00', t('midnight')]], hint: t('An end before the start runs past midnight.') }),
      field({ name: 'valid_from', label: t('Valid from (optional)'), type: 'date', value: w ? dateOnly(w.valid_from) : '' }),
      field({ name: 'valid_until', label: t('Valid until (optional)'), type: 'date', value: w ? dateOnly(w.valid_until) : '' })),
    h('p', { class: 'small muted' }, t('Times are in {zone}.', { zone: (w && w.timezone) || tutor.timezone || currentUser().timezone })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, w ? t('Save window') : t('Add window')), close ? h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel')) : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const fd = new FormData(form);
      const data = {
        weekday: Number(fd.get('weekday')), start: fd.get('start'), end: fd.get('end'),
        valid_from: fd.get('valid_from') ? `${fd.get('valid_from')} 00:00:00.000Z` : '',
        valid_until: fd.get('valid_until') ? `${fd.get('valid_until')} 00:00:00.000Z` : '',
      };
      try {
        if (w) await pb.collection('availability').update(w.id, data);
        else await pb.collection('availability').create({ ...data, tutor: tutor.id });
        clearErrors(form);
        toast(t('Availability saved.'));
        if (!w) form.reset();
        onSaved();
        if (close) close();
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

/** The tutor's pending and confirmed lessons between start and end, soonest first. */
function coveredLessons(start, end) {
  return pb.collection('bookings').getFullList({
    filter: pb.filter('tutor_user = {:me} && start < {:end} && end > {:start} && (status = "pending" || status = "confirmed")',
      { me: currentUser().id, start: pbDate(start), end: pbDate(end) }),
    sort: 'start',
  });
}

/** Asks what to do with the lessons a new time off covers: 'cancel', 'keep', or null (back). */
function askAboutLessons(lessons, zone) {
  return new Promise((resolve) => {
    let answer = null;
    openDialog(lessons.length === 1 ? t('This time off covers a booked lesson') : t('This time off covers {n} booked lessons', { n: lessons.length }), (body, close) => {
      const choose = (a) => { answer = a; close(); };
      body.append(
        h('ul', { class: 'list covered-lessons' }, lessons.map((b) => h('li', h('strong', timeRange(b.start, b.end, zone)), ' · ', b.student_name))),
        h('p', t('Cancelling tells each student and gives back what they paid: the package credit, or a full refund.')),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'danger', on: { click: () => choose('cancel') } }, t('Add it and cancel these lessons')),
          h('button', { type: 'button', class: 'secondary', on: { click: () => choose('keep') } }, t('Add it and keep the lessons')),
          h('button', { type: 'button', class: 'linklike', on: { click: () => close() } }, t('Back'))));
    }, { onClose: () => resolve(answer) });
  });
}

function timeOffForm(tutor, zone, onSaved) {
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('div', { class: 'grid-form' },
      field({ name: 'start', label: t('From'), type: 'datetime-local', required: true }),
      field({ name: 'end', label: t('Until'), type: 'datetime-local', required: true }),
      field({ name: 'reason', label: t('Reason (optional)'), maxlength: 200 })),
    h('p', { class: 'small muted' }, t('Times are in {zone}.', { zone })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Add time off'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const start = fromLocalInput(form.elements.start.value, zone);
      const end = fromLocalInput(form.elements.end.value, zone);
      try {
        // lessons it would cover: warn first, and let the tutor cancel or keep them
        const lessons = start && end && end > start ? await coveredLessons(start, end) : [];
        const choice = lessons.length ? await askAboutLessons(lessons, zone) : 'keep';
        if (!choice) return;
        const off = await pb.collection('time_off').create({ tutor: tutor.id, start: start ? start.toISOString() : '', end: end ? end.toISOString() : '', reason: form.elements.reason.value });
        form.reset(); clearErrors(form);
        if (choice === 'cancel') {
          const res = await cancelLessonsForTimeOff(off.id);
          toast(res.cancelled.length === 1 ? t('Time off added; the lesson is cancelled and its student told.')
            : t('Time off added; {n} lessons cancelled and their students told.', { n: res.cancelled.length }));
        } else toast(lessons.length ? t('Time off added; your booked lessons stay.') : t('Time off added.'));
        onSaved();
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

export default async function availability(ctx) {
  ctx.setTitle(t('Availability'));
  const tutor = await myTutor(true);
  const zone = currentUser().timezone || tutor.timezone;
  const windowsEl = h('div', loading());
  const offEl = h('div', loading());
  const previewEl = h('div');
  const bookable = tutor.verified && tutor.status === 'active';
  let preview = null;
  replace(ctx.root, pageTitle(t('Availability')),
    h('p', { class: 'muted' }, t('Your weekly hours, in your own time zone ({zone}). Students see the free times in theirs.', { zone })),
    h('section', { 'aria-labelledby': 'wi-h' }, h('h2', { id: 'wi-h' }, t('Weekly hours')), windowsEl,
      h('h3', t('Add a window')), h('div', { class: 'card' }, windowForm(tutor, null, refreshAll))),
    h('section', { 'aria-labelledby': 'to-h' }, h('h2', { id: 'to-h' }, t('Time off')), offEl, h('h3', t('Add time off')), timeOffForm(tutor, zone, refreshAll)),
    h('section', { 'aria-labelledby': 'pv-h' }, h('h2', { id: 'pv-h' }, t('Preview: your free times')),
      bookable ? previewEl : h('p', { class: 'notice warning' }, t('The preview appears once the school has verified your profile.'))));

  async function loadWindows() {
    try {
      const list = await pb.collection('availability').getFullList({ filter: pb.filter('tutor = {:id}', { id: tutor.id }), sort: 'weekday,start' });
      if (!ctx.isCurrent()) return;
      replace(windowsEl, list.length ? table([t('Day'), t('Hours'), t('Valid'), t('Actions')], list.map((w) => h('tr', { dataset: { id: w.id } },
        h('td', tv('weekday', w.weekday)),
        h('td', hours(w), w.timezone && w.timezone !== zone ? h('span', { class: 'small muted' }, ` (${w.timezone})`) : null),
        h('td', w.valid_from || w.valid_until ? `${w.valid_from ? longDate(w.valid_from, 'UTC') : '…'} – ${w.valid_until ? longDate(w.valid_until, 'UTC') : '…'}` : t('always')),
        h('td', h('div', { class: 'actions m0' },
          h('button', { type: 'button', class: 'secondary', 'aria-label': t('Edit {day} {hours}', { day: tv('weekday', w.weekday), hours: hours(w) }), on: { click: () => openDialog(t('Edit window'), (body, close) => body.append(windowForm(tutor, w, refreshAll, close))) } }, t('Edit')),
          h('button', { type: 'button', class: 'danger secondary', 'aria-label': t('Delete {day} {hours}', { day: tv('weekday', w.weekday), hours: hours(w) }), on: { click: async () => {
            if (!await confirmDialog(t('Delete this window?'), `${tv('weekday', w.weekday)} ${hours(w)}`, { confirm: t('Delete'), danger: true })) return;
            try { await pb.collection('availability').delete(w.id); toast(t('Window deleted.')); refreshAll(); } catch (e) { toast(e.message, { error: true }); }
          } } }, t('Delete')))))), { caption: t('Weekly hours'), stack: true }) : empty(t('No weekly hours yet: students cannot book you until you add some.')));
    } catch (err) { replace(windowsEl, errorBox(err)); }
  }

  async function loadOff() {
    try {
      const now = new Date().toISOString().replace('T', ' ');
      const list = await pb.collection('time_off').getFullList({ filter: pb.filter('tutor = {:id} && end >= {:now}', { id: tutor.id, now }), sort: 'start' });
      if (!ctx.isCurrent()) return;
      replace(offEl, list.length ? h('ul', { class: 'list' }, list.map((o) => h('li', h('div', { class: 'row' },
        h('span', timeRange(o.start, o.end, zone), o.reason ? ` · ${o.reason}` : ''),
        h('button', { type: 'button', class: 'danger secondary', on: { click: async () => {
          try { await pb.collection('time_off').delete(o.id); toast(t('Time off removed.')); refreshAll(); } catch (e) { toast(e.message, { error: true }); }
        } } }, t('Remove')))))) : empty(t('No time off planned.')));
    } catch (err) { replace(offEl, errorBox(err)); }
  }

  function refreshAll() {
    loadWindows(); loadOff();
    if (preview) preview.refresh();
  }
  await Promise.all([loadWindows(), loadOff()]);
  if (bookable) {
    const lengths = Array.isArray(tutor.lesson_minutes) && tutor.lesson_minutes.length ? tutor.lesson_minutes : [60];
    preview = slotWeek(previewEl, { tutorId: tutor.id, minutes: lengths.includes(60) ? 60 : lengths[0], label: t('Preview week') });
  }
}

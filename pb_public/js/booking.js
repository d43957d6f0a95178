// Booking a slot (one-off or a weekly series) and buying a package.
import { pb, currentUser, role, school } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { viewerZone, timeRange, dateTime, money, parseDate, parts, zonedToUtc, time } from './format.js';
import { openDialog } from './ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from './forms.js';
import { refusalOf, refusalText, translateRefusals, resendConfirmation } from './refusals.js';
import { bookSeries, myStudents, chosenStudent, chooseStudent } from './api.js';

/** The weeks a series may have (hooks/series.go MinSeriesWeeks, MaxSeriesWeeks). */
export const SERIES_WEEKS = { min: 2, max: 52 };

/**
 * Paid purchases of the student (the signed-in one, else studentId for
 * staff; a guardian's child, with the guardian's family packages) for
 * tutor with a credit left for lessons of minutes.
 */
export async function usablePurchases(tutorId, minutes, studentId = '') {
  const family = role() === 'guardian' ? ' || student = {:me}' : '';
  const list = await pb.collection('purchases').getFullList({
    filter: pb.filter(`status = "paid" && (tutor = {:tutor} || tutor = "")${studentId ? ` && (student = {:student}${family})` : ''}`, { tutor: tutorId, student: studentId, me: currentUser() && currentUser().id }), expand: 'package', sort: 'expires_at',
  });
  const now = Date.now();
  return list.filter((p) => p.credits_total - p.credits_used > 0 && (!p.expires_at || parseDate(p.expires_at).getTime() > now) && (!minutes || !p.minutes || p.minutes === minutes));
}

/**
 * The tutor's page that offers slot again: after signing in or up, the
 * visitor lands there with the time they chose (?slot=, ?minutes=).
 */
export function slotReturnPath(tutorId, slot) {
  const minutes = Math.round((parseDate(slot.end) - parseDate(slot.start)) / 60000);
  const q = new URLSearchParams({ slot: new Date(slot.start).toISOString(), minutes: String(minutes) });
  return `/tutors/${encodeURIComponent(tutorId)}?${q}`;
}

function signInFirst(body, tutorId, slot) {
  const next = encodeURIComponent(slotReturnPath(tutorId, slot));
  body.append(h('p', t('Sign in or create a free student account to book this lesson.')),
    h('p', { class: 'small muted' }, t('We keep the time you chose and offer it again once you are signed in.')),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: `/signin?next=${next}` }, t('Sign in')), h('a', { class: 'button secondary', href: `/signup?next=${next}` }, t('Sign up'))));
}

/**
 * The starts of a weekly series from slot, at the same wall-clock time in
 * the tutor's zone (as the server books them), as instants.
 */
export function seriesStarts(start, weeks, tutorZone) {
  const p = parts(parseDate(start), tutorZone);
  return Array.from({ length: weeks }, (_, i) => zonedToUtc(p.year, p.month, p.day + 7 * i, p.hour, p.minute, tutorZone));
}

/** Where a series' time of day moves in the viewer's zone (a DST change on one side only): [{from, time}]. */
export function seriesShifts(start, weeks, tutorZone, zone) {
  if (!tutorZone || tutorZone === zone) return [];
  const out = [];
  let last = null;
  for (const d of seriesStarts(start, weeks, tutorZone)) {
    const p = parts(d, zone);
    const clock = p.hour * 60 + p.minute;
    if (last !== null && clock !== last) out.push({ from: d, time: time(d, zone) });
    last = clock;
  }
  return out;
}

/** The weeks field's value, or a message when it is outside the series' range. */
function readWeeks(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < SERIES_WEEKS.min || n > SERIES_WEEKS.max) return { error: weeksRule() };
  return { weeks: n };
}

function weeksRule() { return t('Choose {min} to {max} weeks.', SERIES_WEEKS); }

/**
 * Opens the booking dialog for slot {start, end} of tutor (a tutors record
 * or search item); staff pass the student ({id, name}) they book for.
 */
export function openBooking({ tutor, slot, subjectNames, onChanged, student = null }) {
  const zone = viewerZone();
  const forStudent = role() === 'admin' && student;
  openDialog(forStudent ? t('Book a lesson for {name}', { name: student.name }) : t('Book a lesson'), async (body, close) => {
    if (role() === 'visitor') { signInFirst(body, tutor.id, slot); return; }
    const guardian = role() === 'guardian';
    if (role() !== 'student' && !forStudent && !guardian) { body.append(h('p', t('Only student accounts book lessons.'))); return; }
    let kids = [], kid = null;
    if (guardian) {
      kids = await myStudents(currentUser().id).catch(() => []);
      kid = chosenStudent(kids);
      if (!kid) { body.append(h('p', t('Add a child on the Family page first.')), h('a', { class: 'button', href: '/family' }, t('Family'))); return; }
    }
    const minutes = Math.round((parseDate(slot.end) - parseDate(slot.start)) / 60000);
    let purchases = [];
    try { purchases = await usablePurchases(tutor.id, minutes, forStudent ? student.id : guardian ? kid.id : ''); } catch (e) { console.warn(e); }
    const price = Math.round((tutor.hourly_rate || 0) * minutes / 60);
    const summary = errorSummary();
    const occurrences = h('div', { 'aria-live': 'polite' });
    const dstNote = h('div', { 'aria-live': 'polite' });
    const weeksField = field({ name: 'weeks', label: t('Number of weeks'), type: 'number', min: SERIES_WEEKS.min, max: SERIES_WEEKS.max, value: 4, hint: weeksRule() });
    weeksField.hidden = true;
    const repeat = field({ name: 'repeat', label: t('Repeat every week at this time'), type: 'checkbox', hint: t('A weekly series is booked all at once, or not at all.') });
    const weeksInput = weeksField.querySelector('input');
    const showShifts = () => {
      replace(dstNote);
      const { weeks } = readWeeks(weeksInput.value);
      if (!repeat.querySelector('input').checked || !weeks) return;
      const shifts = seriesShifts(slot.start, weeks, tutor.timezone, zone);
      if (!shifts.length) return;
      replace(dstNote, h('div', { class: 'notice warning dst-note', role: 'note' },
        h('p', { class: 'm0' }, t('The clocks change during these weeks: the lesson keeps its time in {tutorZone}, so in your zone ({zone}) it moves.', { tutorZone: tutor.timezone, zone })),
        h('ul', { class: 'm0' }, shifts.map((sh) => h('li', t('From {date}: {time}', { date: dateTime(sh.from, zone, { label: false }), time: sh.time }))))));
    };
    repeat.querySelector('input').addEventListener('change', (e) => { weeksField.hidden = !e.target.checked; showShifts(); });
    weeksInput.addEventListener('input', showShifts);
    const subjectOptions = (tutor.subjects || []).map((id) => [id, (subjectNames && subjectNames.get(id)) || id]);
    const form = h('form', { novalidate: true },
      summary,
      h('p', h('strong', timeRange(slot.start, slot.end, zone))),
      guardian ? field({ name: 'student', label: t('Lesson for'), type: 'select', value: kid.id, options: kids.map((k) => [k.id, k.name]) }) : null,
      tutor.timezone && tutor.timezone !== zone ? h('p', { class: 'zone-note' }, t("That is {time} in the tutor's zone.", { time: timeRange(slot.start, slot.end, tutor.timezone) })) : null,
      subjectOptions.length ? field({ name: 'subject', label: t('Subject'), type: 'select', options: subjectOptions, value: subjectOptions[0][0] }) : null,
      field({
        name: 'purchase', label: t('Pay with'), type: 'select', value: purchases.length ? purchases[0].id : '',
        options: [['', price ? t('Pay for this lesson ({price})', { price: money(price, tutor.currency) }) : t('Free lesson')],
          ...purchases.map((p) => [p.id, t('{title}: {n} credits left', { title: (p.expand && p.expand.package && p.expand.package.title) || (p.subscription ? t('Subscription') : t('Package')), n: p.credits_total - p.credits_used })])],
        hint: purchases.length ? t('A package credit is spent now and comes back if you cancel in time.') : t('No package with credits for this tutor and length: the lesson is paid on its own.'),
      }),
      repeat, weeksField, dstNote,
      field({ name: 'notes', label: t('Notes for the tutor'), type: 'textarea', rows: 3, maxlength: 2000 }),
      occurrences,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Confirm booking')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    body.append(form);
    if (guardian) {
      // the packages on offer are the chosen child's and the family's
      form.elements.student.addEventListener('change', async (e) => {
        const list = await usablePurchases(tutor.id, minutes, e.target.value).catch(() => []);
        const sel = form.elements.purchase;
        for (const o of [...sel.options].slice(1)) o.remove();
        for (const p of list) sel.append(h('option', { value: p.id }, t('{title}: {n} credits left', { title: (p.expand && p.expand.package && p.expand.package.title) || (p.subscription ? t('Subscription') : t('Package')), n: p.credits_total - p.credits_used })));
        sel.value = list.length ? list[0].id : '';
      });
    }

    const submit = (skip) => {
      replace(occurrences);
      clearErrors(form);
      busy(form, async () => {
        const fd = new FormData(form);
        const data = { tutor: tutor.id, start: slot.start, end: slot.end };
        if (forStudent) data.student = student.id;
        if (guardian) { data.student = fd.get('student'); chooseStudent(data.student); }
        if (fd.get('subject')) data.subject = fd.get('subject');
        if (fd.get('purchase')) data.purchase = fd.get('purchase');
        if (fd.get('notes')) data.notes = fd.get('notes');
        const series = fd.get('repeat') === 'on';
        if (series) {
          const w = readWeeks(fd.get('weeks'));
          if (w.error) { showErrors(form, { response: { message: w.error, data: { weeks: { code: 'validation_out_of_range', message: w.error } } } }); return; }
          data.weeks = w.weeks;
          if (skip && skip.length) data.skip = skip;
        }
        try {
          const bookings = series ? (await bookSeries(data)).bookings : [await pb.collection('bookings').create(data)];
          replace(body, booked(bookings, zone, close, !!forStudent));
          body.querySelector('h3').focus();
          if (onChanged) onChanged();
        } catch (err) {
          await explain(err, data);
        }
      });
    };

    const explain = async (err, data) => {
      const d = (err.response && err.response.data) || {};
      const s = await school().catch(() => ({}));
      const refusal = refusalOf(err, s);
      if (d.occurrences) {
        showErrors(form, err, { message: t('Some of these weeks cannot be booked; nothing was booked.') });
        const failing = Object.keys(d.occurrences).map(Number).concat(data.skip || []);
        const fit = data.weeks - new Set(failing).size;
        replace(occurrences, h('h3', t('These dates cannot be booked:')), h('ul', { class: 'occurrences' }, Object.entries(d.occurrences).map(([i, v]) => {
          const m = /^(\S+Z)\s+(.*)$/.exec(v.message || '');
          const when = m ? dateTime(m[1], zone) : t('Week {n}', { n: Number(i) + 1 });
          return h('li', h('strong', when), ': ', refusalText(v.code, s) || (m ? m[2] : v.message));
        })), fit > 0 ? h('div', { class: 'actions' }, h('button', {
          type: 'button', class: 'book-fitting',
          on: { click: () => submit([...new Set(failing)].sort((a, b) => a - b)) },
        }, fit === 1 ? t('Book the one week that fits') : t('Book the {n} weeks that fit', { n: fit }))) : null);
      } else if (refusal && refusal.code === 'email_unverified') {
        showErrors(form, err, { ignore: [refusal.field], message: refusal.text });
        form.querySelector('.error-summary').append(h('div', { class: 'actions' }, resendConfirmation()));
      } else if (refusal) {
        showErrors(form, translateRefusals(err, s), { message: refusal.text });
      } else if (d.start && d.start.code === 'slot_conflict') {
        showErrors(form, err, { ignore: ['start'], message: t('That time is no longer free. Please choose another time.') });
        if (onChanged) onChanged();
      } else if (d.weeks && d.weeks.code === 'validation_out_of_range') {
        showErrors(form, { response: { message: weeksRule(), data: { weeks: { code: d.weeks.code, message: weeksRule() } } } });
      } else showErrors(form, err);
    };

    form.addEventListener('submit', (e) => { e.preventDefault(); submit(null); });
  });
}

function booked(bookings, zone, close, forStudent = false) {
  const first = bookings[0];
  const pending = first.status === 'pending';
  return h('div', { class: 'booked' },
    h('h3', { tabindex: '-1' }, pending ? t('Request sent') : t('Lesson booked')),
    h('p', pending ? t('The tutor confirms each request; we will notify you.') : t('Your lesson is confirmed.')),
    h('ul', bookings.map((b) => h('li', timeRange(b.start, b.end, zone)))),
    first.pay_by ? h('p', { class: 'notice warning pay-by' }, payByText(first.pay_by, zone)) : null,
    h('div', { class: 'actions' }, forStudent
      ? h('a', { class: 'button', href: '/admin/bookings?view=upcoming', on: { click: () => close() } }, t('Go to all bookings'))
      : h('a', { class: 'button', href: '/lessons', on: { click: () => close() } }, t('Go to my lessons')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Close'))));
}

/** When an unpaid lesson must be paid, in words. */
export function payByText(payBy, zone = viewerZone()) {
  return t('Pay by {time}, or the lesson is cancelled and the time freed.', { time: dateTime(payBy, zone) });
}

/** Checkout of a package ({package}) or an unpaid lesson ({booking}), with an optional promotion code: Stripe redirect or the school's instructions. */
export function startCheckout(target, { title = t('Payment') } = {}) {
  openDialog(title, async (body, close) => {
    if (!currentUser()) { body.append(h('p', t('Sign in to buy.')), h('a', { class: 'button', href: `/signin?next=${encodeURIComponent(location.pathname)}` }, t('Sign in'))); return; }
    const summary = errorSummary();
    const form = h('form', { class: 'checkout-form', novalidate: '' }, summary,
      field({ name: 'code', label: t('Promotion code'), hint: t('Optional: enter it if you have one.'), autocomplete: 'off', maxlength: 40 }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Continue to payment'))));
    body.append(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const code = form.elements.code.value.trim();
      busy(form, () => pay(code ? { ...target, code } : target));
    });
    async function pay(req) {
      clearErrors(form);
      const status = h('p', { class: 'loading', role: 'status' }, t('Preparing the payment…'));
      form.append(status);
      try {
        const res = await pb.send('/api/purchases/checkout', { method: 'POST', body: req });
        if (res.url) {
          status.textContent = t('Taking you to the secure payment page…');
          location.assign(res.url);
          return;
        }
        replace(body,
          h('p', h('strong', t('Almost done: pay the school to receive your lessons.'))),
          h('div', { class: 'notice' }, res.instructions || t('Ask the school how to pay.')),
          res.discount ? h('p', { class: 'discount' }, t('Promotion code {code}: {amount} off', { code: res.discount.code, amount: money(res.discount.amount, res.payment.currency) })) : null,
          h('p', t('Amount: {amount}', { amount: money(res.payment.amount, res.payment.currency) })),
          h('p', { class: 'muted' }, target.booking
            ? t('The school records the payment and you are notified; the lesson then shows as paid.')
            : t('The school records the payment and you are notified; your credits then appear under Credits.')),
          h('div', { class: 'actions' }, h('a', { class: 'button', href: '/payments', on: { click: () => close() } }, t('See my payments')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Close'))));
      } catch (err) {
        status.remove();
        const d = (err.response && err.response.data) || {};
        if (d.code) { showErrors(form, err); return; } // the promotion code, next to its field
        const first = Object.values(d)[0];
        const refusal = refusalOf(err);
        summary.append(h('p', refusal ? refusal.text : ((first && first.message) || (err.response && err.response.message) || err.message)),
          refusal && refusal.code === 'email_unverified' ? h('div', { class: 'actions' }, resendConfirmation()) : null);
        summary.focus();
      }
    }
  });
}

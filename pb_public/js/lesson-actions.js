// What can be done with a lesson: join, cancel and reschedule (the policy and
// its money outcome shown before confirming), confirm, complete, no-show,
// pay, review.
import { pb, role, school, currentUser } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { viewerZone, timeRange, money, parseDate } from './format.js';
import { openDialog, toast } from './ui.js';
import { field, errorSummary, showErrors, busy } from './forms.js';
import { slotWeek } from './week.js';
import { startCheckout } from './booking.js';

const ACTIVE = ['pending', 'confirmed'];

/** How the signed-in user relates to booking b. */
export function partyOf(b) {
  const u = currentUser();
  if (!u) return 'none';
  if (u.role === 'admin') return 'staff';
  if (b.student === u.id) return 'student';
  if (b.tutor_user === u.id) return 'tutor';
  if (u.role === 'guardian') return 'student'; // they see only their students' lessons, and act for them
  return 'none';
}

/** The school's rule, in words. */
export function policyRule(s) {
  return t('Free cancellation up to {hours} hours before the lesson. Later, a package credit is lost and {pct} % of a paid lesson is refunded.',
    { hours: s.cancel_window_hours, pct: s.late_cancel_refund_percent });
}

/** What cancelling b now means, for party: {late, text}. */
export function cancelOutcome(b, s, party, now = new Date()) {
  const hours = (parseDate(b.start) - now) / 3600000;
  const paid = b.payment_status === 'paid' || b.payment_status === 'partially_refunded';
  const price = money(b.price, b.currency);
  if (party !== 'student') {
    if (b.purchase) return { late: false, text: t('The student gets the package credit back.') };
    if (paid) return { late: false, text: t('The student is refunded {amount} in full.', { amount: price }) };
    return { late: false, text: t('Nothing was paid, so there is nothing to refund.') };
  }
  const late = hours < s.cancel_window_hours;
  if (!late) {
    if (b.purchase) return { late, text: t('Cancelling now is free: your credit comes back.') };
    if (paid) return { late, text: t('Cancelling now is free: you will be refunded {amount}.', { amount: price }) };
    return { late, text: t('Cancelling now is free.') };
  }
  if (b.purchase) return { late, text: t('This is a late cancel: the credit is forfeited.') };
  if (paid) {
    const pct = Number(s.late_cancel_refund_percent || 0);
    if (!pct) return { late, text: t('This is a late cancel: you will be refunded 0 %.') };
    const amount = Math.round((b.price || 0) * pct / 100);
    return { late, text: t('This is a late cancel: you will be refunded {amount} ({pct} %).', { amount: money(amount, b.currency), pct }) };
  }
  return { late, text: t('This is a late cancel. Nothing was paid, so nothing is refunded.') };
}

function cancelDialog(b, onChanged) {
  openDialog(t('Cancel this lesson?'), async (body, close) => {
    const s = await school();
    const party = partyOf(b);
    const out = cancelOutcome(b, s, party);
    const form = h('form', { novalidate: true },
      errorSummary(),
      h('p', h('strong', timeRange(b.start, b.end, viewerZone()))),
      h('div', { class: out.late ? 'notice warning policy-outcome' : 'notice policy-outcome', role: 'note' }, out.text),
      h('p', { class: 'small muted' }, policyRule(s)),
      b.series ? field({ name: 'following', label: t('Also cancel every later lesson of this weekly series'), type: 'checkbox' }) : null,
      field({ name: 'reason', label: t('Reason (optional)'), type: 'textarea', rows: 2, maxlength: 500 }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('Cancel the lesson')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Keep it'))));
    body.append(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const body2 = { reason: form.elements.reason.value };
          if (form.elements.following && form.elements.following.checked) body2.following = true;
          const res = await pb.send(`/api/bookings/${b.id}/cancel`, { method: 'POST', body: body2 });
          replace(body, h('p', { class: 'notice success', role: 'status', tabindex: '-1' }, res.late_cancel ? t('Lesson cancelled (late cancel).') : t('Lesson cancelled.')),
            h('p', out.text), h('div', { class: 'actions' }, h('button', { type: 'button', on: { click: close } }, t('Close'))));
          body.querySelector('.notice').focus();
          if (onChanged) onChanged();
        } catch (err) { showErrors(form, err); }
      });
    });
  });
}

function rescheduleDialog(b, onChanged) {
  openDialog(t('Move this lesson'), async (body, close) => {
    const s = await school();
    const party = partyOf(b);
    const hours = (parseDate(b.start) - new Date()) / 3600000;
    body.append(h('p', t('Now: {time}', { time: timeRange(b.start, b.end, viewerZone()) })));
    if (party === 'student' && hours < s.cancel_window_hours) {
      body.append(h('p', { class: 'notice warning', role: 'note' }, t('Lessons can be moved up to {hours} hours before they start. Ask your tutor, or cancel (late cancel).', { hours: s.cancel_window_hours })));
      return;
    }
    body.append(h('p', { class: 'notice', role: 'note' }, b.purchase ? t('Moving is free: your package credit moves with the lesson.') : t('Moving is free: the price stays the same.')));
    const minutes = Math.round((parseDate(b.end) - parseDate(b.start)) / 60000);
    const picker = h('div');
    const confirmBox = h('div', { 'aria-live': 'polite' });
    body.append(h('h3', t('Choose the new time')), picker, confirmBox);
    const week = slotWeek(picker, {
      tutorId: b.tutor, minutes,
      onPick: (slot) => {
        const form = h('form', { novalidate: true }, errorSummary(),
          h('p', t('New time: {time}', { time: timeRange(slot.start, slot.end, viewerZone()) })),
          h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Move the lesson'))));
        replace(confirmBox, form);
        form.querySelector('button').focus();
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          busy(form, async () => {
            try {
              const nb = await pb.send(`/api/bookings/${b.id}/reschedule`, { method: 'POST', body: { start: slot.start, end: slot.end } });
              replace(body, h('p', { class: 'notice success', role: 'status', tabindex: '-1' }, t('Lesson moved to {time}.', { time: timeRange(nb.start, nb.end, viewerZone()) })),
                h('div', { class: 'actions' }, h('button', { type: 'button', on: { click: close } }, t('Close'))));
              body.querySelector('.notice').focus();
              if (onChanged) onChanged();
            } catch (err) {
              showErrors(form, err, { ignore: [] });
              week.refresh();
            }
          });
        });
      },
    });
  });
}

async function simpleAction(b, action, done, onChanged) {
  try {
    await pb.send(`/api/bookings/${b.id}/${action}`, { method: 'POST', body: {} });
    toast(done);
    if (onChanged) onChanged();
  } catch (err) {
    toast((err.response && Object.values(err.response.data || {})[0]?.message) || err.message, { error: true });
  }
}

function reviewDialog(b, existing, onChanged) {
  openDialog(existing ? t('Edit your review') : t('Review this lesson'), (body, close) => {
    const form = h('form', { novalidate: true }, errorSummary(),
      h('p', t('Lesson with {name}, {time}', { name: b.tutor_name, time: timeRange(b.start, b.end, viewerZone()) })),
      field({ name: 'rating', label: t('Rating'), type: 'select', value: existing ? existing.rating : 5, options: [5, 4, 3, 2, 1].map((n) => [n, t('{n} out of 5', { n })]) }),
      field({ name: 'comment', label: t('Comment (optional)'), type: 'textarea', value: existing ? existing.comment : '', maxlength: 2000 }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save review'))));
    body.append(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        const data = { rating: Number(form.elements.rating.value), comment: form.elements.comment.value };
        try {
          if (existing) await pb.collection('reviews').update(existing.id, data);
          else await pb.collection('reviews').create({ ...data, booking: b.id });
          toast(t('Thank you for your review.'));
          close();
          if (onChanged) onChanged();
        } catch (err) { showErrors(form, err); }
      });
    });
  });
}

/** Buttons for booking b; review is the student's review of it, if any. */
export function lessonActions(b, { onChanged, review, detailsLink = true } = {}) {
  const party = partyOf(b);
  const now = new Date();
  const start = parseDate(b.start), end = parseDate(b.end);
  const out = [];
  if (b.status === 'confirmed' && b.meeting_url && end > now) {
    out.push(h('a', { class: 'button', href: b.meeting_url, target: '_blank', rel: 'noopener', 'data-external': '' }, t('Join the lesson')));
  }
  if (ACTIVE.includes(b.status)) {
    if (b.status === 'pending' && (party === 'tutor' || party === 'staff')) out.push(h('button', { type: 'button', on: { click: () => simpleAction(b, 'confirm', t('Lesson confirmed.'), onChanged) } }, t('Confirm')));
    if (party !== 'student' || start > now) {
      out.push(h('button', { type: 'button', class: 'secondary', on: { click: () => rescheduleDialog(b, onChanged) } }, t('Reschedule')));
      out.push(h('button', { type: 'button', class: 'danger secondary', on: { click: () => cancelDialog(b, onChanged) } }, party === 'tutor' && b.status === 'pending' ? t('Decline') : t('Cancel')));
    }
    if (b.status === 'confirmed' && (party === 'tutor' || party === 'staff') && end <= now) out.push(h('button', { type: 'button', class: 'secondary', on: { click: () => simpleAction(b, 'complete', t('Lesson completed.'), onChanged) } }, t('Mark completed')));
    if (b.status === 'confirmed' && (party === 'tutor' || party === 'staff') && start <= now) out.push(h('button', { type: 'button', class: 'secondary', on: { click: () => simpleAction(b, 'no-show', t('No-show recorded.'), onChanged) } }, t('Student did not come')));
  }
  if (party === 'student' && b.payment_status === 'unpaid' && b.status !== 'cancelled') out.push(h('button', { type: 'button', class: 'secondary', on: { click: () => startCheckout({ booking: b.id }, { title: t('Pay for this lesson') }) } }, t('Pay')));
  if (party === 'student' && b.status === 'completed') out.push(h('button', { type: 'button', class: 'secondary', on: { click: () => reviewDialog(b, review, onChanged) } }, review ? t('Edit review') : t('Write a review')));
  if (detailsLink) out.push(h('a', { href: `/lessons/${b.id}` }, t('Details')));
  return h('div', { class: 'actions' }, out);
}

export { reviewDialog };

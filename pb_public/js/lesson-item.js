// One lesson in a list: when, with whom, what, its state and its actions.
import { h } from './dom.js';
import { t } from './i18n.js';
import { viewerZone, timeRange, money, parseDate } from './format.js';
import { pill, avatar } from './ui.js';
import { lessonActions, partyOf } from './lesson-actions.js';
import { payByText } from './booking.js';

export function lessonItem(b, { subjectNames, onChanged, review } = {}) {
  const party = partyOf(b);
  const other = party === 'student' ? b.tutor_name : party === 'tutor' ? b.student_name : `${b.student_name} · ${b.tutor_name}`;
  const subject = b.subject && subjectNames ? subjectNames.get(b.subject) : '';
  const tutor = (b.expand && b.expand.tutor) || { id: b.tutor, name: b.tutor_name };
  return h('li', { class: 'lesson', dataset: { id: b.id, status: b.status, start: parseDate(b.start).toISOString() } },
    h('div', { class: 'lesson-head' }, avatar(tutor),
      h('div', { class: 'row grow' },
        h('strong', timeRange(b.start, b.end, viewerZone())),
        h('span', pill('status', b.status), ' ', paymentPill(b)))),
    h('p', { class: 'm0' }, party === 'student' ? t('with {name}', { name: other }) : other, subject ? ` · ${subject}` : '',
      b.price ? ` · ${money(b.price, b.currency)}` : ''),
    b.status === 'cancelled' && b.cancel_reason ? h('p', { class: 'small muted m0' }, t('Cancelled: {reason}', { reason: cancelReason(b.cancel_reason) }), b.late_cancel ? ` (${t('late cancel')})` : '') : null,
    awaitsPayment(b) ? h('p', { class: 'small m0 pay-by' }, payByText(b.pay_by)) : null,
    b.notes ? h('p', { class: 'small muted m0' }, t('Notes: {notes}', { notes: b.notes })) : null,
    lessonActions(b, { onChanged, review }));
}

/** Whether b is an active lesson that is cancelled unless paid by its pay_by. */
export function awaitsPayment(b) {
  return b.payment_status === 'unpaid' && !!b.pay_by && (b.status === 'pending' || b.status === 'confirmed');
}

/** A cancel reason: the server's own in words (internal/msg's reasons), a person's as written. */
export function cancelReason(reason) {
  switch (reason) {
    case 'unpaid': return t('not paid by the deadline');
    case 'rescheduled': return t('moved to another time');
    case 'time_off': return t('the tutor is away');
    case 'account_closed': return t('an account was closed');
    default: return reason;
  }
}

/** A lesson's payment state, except "unpaid" on a cancelled lesson: nothing is owed for it. */
export function paymentPill(b) {
  if (!b.payment_status || (b.status === 'cancelled' && b.payment_status === 'unpaid')) return null;
  return pill('status', b.payment_status);
}

// Admin: the students at risk of leaving (the nightly churn score, with
// its reasons and the numbers behind them), each with two one-click
// actions: write to them (the staff thread with the student) and offer a
// coupon (made once, then sent in that thread). docs/insight.md, Churn risk.
import { pb, currentUser } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime, longDate } from '../format.js';
import { atRisk, messages } from '../api.js';
import { pageTitle, loading, empty, errorBox, toast } from '../ui.js';

export default async function adminAtRisk(ctx) {
  ctx.setTitle(t('Students at risk'));
  const list = h('div', loading());
  replace(ctx.root, pageTitle(t('Students at risk'), h('div', { class: 'head-links' }, h('a', { href: '/admin/reports' }, t('Reports')))), list);
  let res;
  try { res = await atRisk.list(); } catch (err) { replace(list, errorBox(err)); return; }
  if (!ctx.isCurrent()) return;
  replace(list,
    h('p', { class: 'muted' }, t("Scored every night from each student's own history, 0 to 100: the gap since their last lesson against their usual rhythm, cancellations, credits left, falling ratings and unread messages. From {n} a student is at risk.", { n: res.threshold })),
    res.items.length ? h('ul', { class: 'cards', id: 'at-risk' }, res.items.map((s) => card(ctx, s))) : empty(t('No student is at risk.')));
}

/** One student at risk: score, reasons (most points first), actions. */
function card(ctx, s) {
  const couponBox = h('p', { class: 'small' }, s.coupon ? offered(s.coupon) : '');
  const offer = h('button', { type: 'button', class: 'secondary', hidden: !!s.coupon, on: { click: async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    try {
      const c = await atRisk.offerCoupon(s.student);
      const thread = await messages.start({ to: s.student, subject: t('A coupon for your next lessons') });
      await pb.collection('messages').create({ thread: thread.id, author: currentUser().id,
        body: t('We would love to see you again: {percent}% off your next purchase with the code {code}, until {date}.', { percent: c.percent, code: c.code, date: longDate(c.valid_until) }) });
      button.hidden = true;
      replace(couponBox, offered(c));
      toast(t('Coupon {code} sent to {name}.', { code: c.code, name: s.name }));
    } catch (err) {
      toast(err.message, { error: true });
      if (err.status === 409) { adminAtRisk(ctx); return; } // offered already (another tab, or the message failed): show its code
      button.disabled = false;
    }
  } } }, t('Offer a coupon'));
  return h('li', { class: 'card', dataset: { student: s.student } },
    h('h2', { class: 'h3' }, s.name),
    h('p', h('strong', { class: 'risk-score' }, t('Risk {score}/100', { score: s.score })), ' ',
      h('span', { class: 'small muted' }, t('computed {when}', { when: dateTime(s.computed) }))),
    h('ul', { class: 'reasons' }, s.reasons.map((r) => h('li', { dataset: { code: r.code } }, r.text, ' ', h('span', { class: 'muted' }, t('(+{points})', { points: r.points }))))),
    couponBox,
    h('div', { class: 'actions m0' },
      h('button', { type: 'button', on: { click: async (e) => {
        const button = e.currentTarget;
        button.disabled = true;
        try { ctx.navigate(`/messages/${(await messages.start({ to: s.student, subject: t('How are your lessons going?') })).id}`); } catch (err) { button.disabled = false; toast(err.message, { error: true }); }
      } } }, t('Message')),
      offer));
}

function offered(c) {
  return t('Coupon {code} offered: {percent}% off until {date}.', { code: c.code, percent: c.percent, date: longDate(c.valid_until) });
}

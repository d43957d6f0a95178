// Admin: bookings by view (today and this week first, nearest first;
// upcoming; past; all with dates), filters by tutor, student, status and
// payment kept in the URL, one compact action menu per row, and booking on
// a student's behalf.
import { pb, subjectNames } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { viewerZone, timeRange, money, fromLocalInput, dayKey, weekStart } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, table, openDialog, toast } from '../ui.js';
import { field, errorSummary, showErrors, busy } from '../forms.js';
import { lessonActions } from '../lesson-actions.js';

export function markPaidDialog(kind, id, label, onDone) {
  recordPaymentDialog(t('Record a payment'), label, (body) => pb.send(`/api/${kind}/${id}/mark-paid`, { method: 'POST', body }), onDone);
}

// recordPaymentDialog asks staff how a payment made by hand came (method
// and reference) and sends them with send({method, reference}).
export function recordPaymentDialog(title, label, send, onDone) {
  openDialog(title, (body, close) => {
    const form = h('form', { novalidate: true }, errorSummary(), h('p', label),
      field({ name: 'method', label: t('Method'), type: 'select', value: 'transfer', options: [['transfer', t('bank transfer')], ['cash', t('cash')], ['other', t('other')]] }),
      field({ name: 'reference', label: t('Reference'), maxlength: 200, hint: t('e.g. the bank transfer reference') }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Mark as paid')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    body.append(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          await send({ method: form.elements.method.value, reference: form.elements.reference.value });
          toast(t('Payment recorded; the invoice is issued.'));
          close(); onDone();
        } catch (err) { showErrors(form, err); }
      });
    });
  });
}

const VIEWS = () => [['week', t('Today and this week')], ['upcoming', t('Upcoming')], ['past', t('Past')], ['all', t('All, by date')]];
const KEYS = ['view', 'status', 'payment', 'tutor', 'student', 'from', 'to'];

/** The filter of view and the other filters, with the sort that shows the nearest first. */
function query(q, zone, now = new Date()) {
  const parts = []; const params = {};
  const at = (d) => d.toISOString().replace('T', ' ');
  const view = q.get('view') || 'week';
  const today = fromLocalInput(`${dayKey(now, zone)}T00:00`, zone);
  let sort = 'start';
  if (view === 'week') { parts.push('start >= {:from} && start < {:to}'); params.from = at(today); params.to = at(weekStart(now, zone, 1)); }
  else if (view === 'upcoming') { parts.push('end >= {:now}'); params.now = at(now); }
  else if (view === 'past') { parts.push('end < {:now}'); params.now = at(now); sort = '-start'; }
  else {
    sort = '-start';
    if (q.get('from')) { parts.push('start >= {:from}'); params.from = at(fromLocalInput(`${q.get('from')}T00:00`, zone)); }
    if (q.get('to')) { parts.push('start < {:to}'); params.to = at(fromLocalInput(`${q.get('to')}T00:00`, zone)); }
  }
  if (q.get('status')) { parts.push('status = {:status}'); params.status = q.get('status'); }
  if (q.get('payment')) { parts.push('payment_status = {:payment}'); params.payment = q.get('payment'); }
  if (q.get('tutor')) { parts.push('tutor = {:tutor}'); params.tutor = q.get('tutor'); }
  if (q.get('student')) { parts.push('student_name ~ {:student}'); params.student = q.get('student'); }
  return { view, filter: pb.filter(parts.join(' && '), params), sort };
}

/** One menu of what can be done with booking b (a phone has room for one button). */
function actionMenu(b, zone, load) {
  const items = lessonActions(b, { onChanged: load });
  if (b.payment_status === 'unpaid' && b.status !== 'cancelled') {
    items.append(h('button', { type: 'button', class: 'secondary', on: { click: () => markPaidDialog('bookings', b.id, `${b.student_name} · ${timeRange(b.start, b.end, zone)} · ${money(b.price, b.currency)}`, load) } }, t('Record payment')));
  }
  items.classList.add('menu-items');
  const menu = h('details', { class: 'row-menu' },
    h('summary', { 'aria-label': t('Actions for the lesson of {name}, {time}', { name: b.student_name, time: timeRange(b.start, b.end, zone) }) }, t('Actions')), items);
  // one menu open at a time; a choice closes it
  menu.addEventListener('toggle', () => { if (menu.open) for (const m of document.querySelectorAll('details.row-menu[open]')) if (m !== menu) m.open = false; });
  items.addEventListener('click', (e) => { if (e.target.closest('button, a')) menu.open = false; });
  return menu;
}

function rows(list, names, zone, load) {
  return list.map((b) => h('tr', { dataset: { id: b.id, start: new Date(b.start.replace(' ', 'T')).toISOString() } },
    h('td', timeRange(b.start, b.end, zone), b.subject ? h('div', { class: 'small muted' }, names.get(b.subject) || '') : null),
    h('td', b.tutor_name), h('td', b.student_name),
    h('td', pill('status', b.status), ' ', b.payment_status && !(b.status === 'cancelled' && b.payment_status === 'unpaid') ? pill('status', b.payment_status) : null),
    h('td', { class: 'num' }, money(b.price, b.currency)),
    h('td', actionMenu(b, zone, load))));
}

const HEAD = () => [t('When'), t('Tutor'), t('Student'), t('Status'), { text: t('Price'), class: 'num' }, t('Actions')];

export default async function adminBookings(ctx) {
  ctx.setTitle(t('All bookings'));
  const q = ctx.query;
  const zone = viewerZone();
  const [names, tutors] = await Promise.all([
    subjectNames().catch(() => new Map()),
    pb.collection('tutors').getFullList({ sort: 'name', fields: 'id,name,verified,status' }).catch(() => []),
  ]);
  const out = h('div', loading());
  const go = (p) => ctx.navigate(`/admin/bookings${p.toString() ? `?${p}` : ''}`);
  const view = q.get('view') || 'week';
  const tabs = viewTabs(q, view);
  const form = filterForm(q, view, tutors, go);
  const bookFor = h('button', { type: 'button', on: { click: () => bookForStudent(ctx, tutors) } }, t('Book for a student'));
  replace(ctx.root, pageTitle(t('All bookings'), h('a', { href: '/calendar' }, t('Calendar')), bookFor), tabs, form, out);
  const page = Number(q.get('page') || 1);
  async function load() {
    const { filter, sort } = query(q, zone);
    try {
      const res = await pb.collection('bookings').getList(page, view === 'week' ? 200 : 50, { filter, sort });
      if (!ctx.isCurrent()) return;
      if (view === 'week') { showWeek(res.items); return; }
      replace(out, res.items.length ? [
        h('p', { class: 'muted', role: 'status' }, t('{n} bookings', { n: res.totalItems })),
        table(HEAD(), rows(res.items, names, zone, load), { caption: t('Bookings'), stack: true }),
        res.totalPages > 1 ? pager(res, page, q, go) : null,
      ] : empty(t('No bookings match.')));
    } catch (err) { replace(out, errorBox(err)); }
  }
  function showWeek(items) {
    const today = dayKey(new Date(), zone);
    const now = items.filter((b) => dayKey(b.start, zone) === today);
    const later = items.filter((b) => dayKey(b.start, zone) !== today);
    const section = (id, title, list, none) => h('section', { 'aria-labelledby': id, class: 'bookings-day' }, h('h2', { id }, title),
      list.length ? table(HEAD(), rows(list, names, zone, load), { caption: title, stack: true }) : empty(none));
    replace(out, h('p', { class: 'muted', role: 'status' }, t('{n} bookings', { n: items.length })),
      section('today-h', t('Today'), now, t('No lessons today.')),
      section('week-h', t('Later this week'), later, t('No more lessons this week.')),
      h('p', h('a', { href: '/admin/bookings?view=upcoming' }, t('See every upcoming lesson'))));
  }
  await load();
  // every booking change, live: PocketBase's bookings/* topic follows the
  // list rule, which names only a lesson's student and tutor, so staff
  // have a topic of their own (a burst of changes reloads once)
  let soon = null;
  const unsub = await pb.realtime.subscribe('staff/bookings', () => {
    clearTimeout(soon);
    soon = setTimeout(() => { if (ctx.isCurrent()) load(); }, 300);
  }).catch((e) => { console.warn(e); return null; });
  return () => { clearTimeout(soon); if (unsub) unsub(); };
}

/** The views as tabs (links keeping the filters). */
function viewTabs(q, view) {
  return h('nav', { class: 'view-tabs', 'aria-label': t('Views') }, VIEWS().map(([v, label]) => {
    const p = new URLSearchParams(q); p.delete('page');
    if (v === 'week') p.delete('view'); else p.set('view', v);
    return h('a', { href: `/admin/bookings${p.toString() ? `?${p}` : ''}`, 'aria-current': v === view ? 'page' : null }, label);
  }));
}

/** The filters (dates only in the "all" view); submitting keeps the view. */
function filterForm(q, view, tutors, go) {
  const form = h('form', { class: 'filters-inline', role: 'search', 'aria-label': t('Filter bookings') },
    field({ name: 'status', label: t('Status'), type: 'select', value: q.get('status') || '', options: [['', t('Any')], ...['pending', 'confirmed', 'completed', 'cancelled', 'no_show'].map((s) => [s, tv('status', s)])] }),
    field({ name: 'payment', label: t('Payment'), type: 'select', value: q.get('payment') || '', options: [['', t('Any')], ...['unpaid', 'paid', 'credit', 'refunded', 'partially_refunded', 'free'].map((s) => [s, tv('status', s)])] }),
    field({ name: 'tutor', label: t('Tutor'), type: 'select', value: q.get('tutor') || '', options: [['', t('Any')], ...tutors.map((x) => [x.id, x.name])] }),
    field({ name: 'student', label: t('Student name'), value: q.get('student') || '' }),
    view === 'all' ? field({ name: 'from', label: t('From'), type: 'date', value: q.get('from') || '' }) : null,
    view === 'all' ? field({ name: 'to', label: t('Until'), type: 'date', value: q.get('to') || '' }) : null,
    h('div', { class: 'actions m0' }, h('button', { type: 'submit' }, t('Filter'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (view !== 'week') p.set('view', view);
    for (const k of KEYS.slice(1)) if (form.elements[k] && form.elements[k].value) p.set(k, form.elements[k].value);
    go(p);
  });
  return form;
}

function pager(res, page, q, go) {
  const to = (n) => { const p = new URLSearchParams(q); p.set('page', n); go(p); };
  return h('nav', { class: 'pager', 'aria-label': t('Pages') },
    h('button', { type: 'button', class: 'secondary', disabled: page <= 1, on: { click: () => to(page - 1) } }, t('Previous')),
    h('span', t('Page {page} of {pages}', { page, pages: res.totalPages })),
    h('button', { type: 'button', class: 'secondary', disabled: page >= res.totalPages, on: { click: () => to(page + 1) } }, t('Next')));
}

/**
 * Booking on a student's behalf: choose the student and the tutor, then
 * the tutor's week view books for them (/tutors/{id}?for={student}).
 */
function bookForStudent(ctx, tutors) {
  openDialog(t('Book for a student'), (body, close) => {
    const list = h('div', { 'aria-live': 'polite' });
    const search = field({ name: 'who', label: t('Student name or email'), autocomplete: 'off' });
    const pick = field({ name: 'student', label: t('Student'), type: 'select', options: [] });
    const form = h('form', { novalidate: true }, errorSummary(), search, pick,
      field({ name: 'tutor', label: t('Tutor'), type: 'select', options: tutors.filter((x) => x.verified && x.status === 'active').map((x) => [x.id, x.name]) }),
      list,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Choose a time')), h('button', { type: 'button', class: 'secondary', on: { click: close } }, t('Cancel'))));
    body.append(form);
    const select = pick.querySelector('select');
    let seq = 0;
    const find = async () => {
      const mine = ++seq;
      const text = form.elements.who.value.trim();
      const filter = text ? pb.filter('role = "student" && (name ~ {:q} || email ~ {:q})', { q: text }) : 'role = "student"';
      try {
        const res = await pb.collection('users').getList(1, 50, { filter, sort: 'name', fields: 'id,name,email' });
        if (mine !== seq) return;
        replace(select, res.items.map((u) => h('option', { value: u.id }, `${u.name} · ${u.email}`)));
        replace(list, res.items.length ? null : h('p', { class: 'notice' }, t('No student matches.')));
      } catch (err) { showErrors(form, err); }
    };
    let timer = null;
    form.elements.who.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(find, 250); });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!select.value) { showErrors(form, { response: { message: t('Choose a student.'), data: { student: { code: 'validation_required', message: t('Choose a student.') } } } }); return; }
      close();
      ctx.navigate(`/tutors/${encodeURIComponent(form.elements.tutor.value)}?for=${encodeURIComponent(select.value)}`);
    });
    return find();
  });
}

// Tutorbase web app entry: the shell (header, navigation, language), the
// routes, and the signed-in user's live unread count.
import { pb, currentUser, role, school, myTutor, owesApp } from './js/pb.js';
import { h, s as svg, replace } from './js/dom.js';
import { t, setLang, browserLang, lang, onLangChange } from './js/i18n.js';
import { startRouter, onNavigate, navigate, match } from './js/router.js';
import { loading, errorBox, pageTitle, closeDialogs, avatar, toast } from './js/ui.js';
import { registerWorker, forgetDevice } from './js/push.js';
import { sessions, sessionOf, countVisit, messages, topics } from './js/api.js';

// [path, page module, who may open it]
const ROUTES = [
  ['/', 'directory'], ['/tutors', 'directory'], ['/tutors/:id', 'tutor'],
  ['/signin', 'signin'], ['/signup', 'signup'], ['/forgot-password', 'signin'],
  ['/reset-password', 'landing'], ['/verify-email', 'landing'], ['/confirm-email-change', 'landing'], ['/not-me', 'landing'],
  ['/checkout/success', 'checkout'], ['/checkout/cancel', 'checkout'],
  ['/lessons', 'lessons', 'signed'], ['/lessons/:id', 'lesson', 'signed'],
  ['/credits', 'credits', 'student'], ['/payments', 'payments', 'signed'], ['/reviews', 'reviews', 'student'],
  ['/materials', 'materials', 'signed'], ['/notifications', 'notifications', 'signed'], ['/settings', 'settings', 'signed'],
  ['/todo', 'todo', 'student'], ['/progress', 'progress', 'student'], ['/students/:id/progress', 'progress', 'signed'],
  ['/calendar', 'calendar', 'signed'], ['/google-callback', 'google-callback', 'signed'],
  ['/tutor/requests', 'tutor-requests', 'tutor'], ['/tutor/calendar', 'tutor-calendar', 'tutor'],
  ['/tutor/availability', 'tutor-availability', 'tutor'], ['/tutor/packages', 'tutor-packages', 'tutor'],
  ['/tutor/earnings', 'tutor-earnings', 'tutor'], ['/tutor/profile', 'tutor-profile', 'tutor'],
  ['/admin/tutors', 'admin-tutors', 'admin'], ['/admin/bookings', 'admin-bookings', 'admin'],
  ['/admin/payments', 'admin-payments', 'admin'], ['/admin/reports', 'admin-reports', 'admin'],
  ['/admin/deliveries', 'admin-deliveries', 'admin'], ['/admin/flags', 'admin-flags', 'admin'],
  ['/admin/families', 'admin-families', 'admin'], ['/admin/coupons', 'admin-coupons', 'admin'], ['/admin/plans', 'admin-plans', 'admin'],
  ['/family', 'family', 'signed'], ['/guardian-invite', 'guardian-invite'],
  ['/find', 'find'], ['/help', 'help', 'signed'], ['/admin/questions', 'admin-questions', 'admin'],
  ['/plans', 'plans'], ['/subscription', 'subscription', 'signed'],
  ['/messages', 'messages', 'signed'], ['/messages/:id', 'messages', 'signed'],
  ['/admin/at-risk', 'admin-at-risk', 'admin'],
  ['/admin/sequences', 'admin-sequences', 'admin'], ['/unsubscribe', 'unsubscribe'],
];

const NAV = {
  visitor: [['/', 'Find a tutor']],
  student: [['/', 'Find a tutor'], ['/lessons', 'My lessons'], ['/todo', 'To do'], ['/credits', 'Credits'], ['/materials', 'Materials'], ['/payments', 'Payments'], ['/reviews', 'Reviews'], ['/help', 'Help']],
  tutor: [['/tutor/requests', 'Requests'], ['/calendar', 'Calendar'], ['/tutor/availability', 'Availability'], ['/tutor/packages', 'Packages'], ['/materials', 'Materials'], ['/tutor/earnings', 'Earnings'], ['/tutor/profile', 'Profile']],
  guardian: [['/', 'Find a tutor'], ['/lessons', 'Lessons'], ['/family', 'Family'], ['/credits', 'Credits'], ['/payments', 'Payments'], ['/subscription', 'Subscription'], ['/help', 'Help']],
  admin: [['/admin/tutors', 'Verification'], ['/admin/bookings', 'Bookings'], ['/admin/payments', 'Payments'], ['/admin/reports', 'Reports'], ['/admin/deliveries', 'Deliveries'], ['/admin/flags', 'Flags'], ['/admin/families', 'Families'], ['/materials', 'Materials'], ['/', 'Tutors']],
};

const main = document.getElementById('main');
const nav = document.getElementById('site-nav');
let cleanup = null;
let renderSeq = 0;
let unread = 0;
let unsubscribeUnread = null;

function renderNav() {
  const path = location.pathname;
  const r = role();
  const links = (NAV[r] || NAV.visitor).map(([href, label]) =>
    h('a', { href, 'aria-current': (href === '/' ? path === '/' : path.startsWith(href)) ? 'page' : null }, t(label)));
  const langSelect = h('select', { class: 'lang-select', 'aria-label': t('Language'), on: { change: (e) => changeLang(e.target.value) } },
    h('option', { value: 'en', selected: lang() === 'en', lang: 'en' }, 'English'),
    h('option', { value: 'it', selected: lang() === 'it', lang: 'it' }, 'Italiano'));
  const items = [...links, h('span', { class: 'nav-sep', 'aria-hidden': 'true' })];
  if (currentUser()) {
    items.push(
      h('a', { href: '/messages', class: 'messages-link icon-link', title: t('Messages'), 'aria-current': path.startsWith('/messages') ? 'page' : null },
        bubble(), h('span', { class: 'nav-text' }, t('Messages')), h('span', { class: 'badge', id: 'messages-badge', hidden: unreadMessages === 0 }, String(unreadMessages)),
        h('span', { class: 'visually-hidden', id: 'messages-unread-text' }, unreadMessages ? t('{n} unread', { n: unreadMessages }) : '')),
      h('a', { href: '/notifications', class: 'bell-link icon-link', title: t('Notifications'), 'aria-current': path === '/notifications' ? 'page' : null },
        bell(), h('span', { class: 'nav-text' }, t('Notifications')), h('span', { class: 'badge', id: 'unread-badge', hidden: unread === 0 }, String(unread)),
        h('span', { class: 'visually-hidden', id: 'unread-text' }, unread ? t('{n} unread', { n: unread }) : '')),
      h('a', { href: '/settings', class: 'account-link', 'aria-current': path === '/settings' ? 'page' : null }, headerAvatar, t('Account')),
      h('button', { type: 'button', class: 'linklike', on: { click: signOut } }, t('Sign out')));
  } else {
    items.push(h('a', { href: '/signin', 'aria-current': path === '/signin' ? 'page' : null }, t('Sign in')),
      h('a', { href: '/signup', 'aria-current': path === '/signup' ? 'page' : null }, t('Sign up')));
  }
  items.push(langSelect);
  replace(nav, items);
  if (r === 'tutor') showTutorAvatar();
  document.querySelector('.skip-link[href="#main"]').textContent = t('Skip to content');
  document.querySelector('.menu-toggle').textContent = t('Menu');
}

// A speech bubble: the messages link is an icon on a wide screen, like the bell.
function bubble() {
  return svg('svg', { class: 'nav-icon', viewBox: '0 0 24 24', width: 20, height: 20, 'aria-hidden': 'true', focusable: 'false' },
    svg('path', { d: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z' }));
}

// A bell: the notifications link is an icon on a wide screen (its name,
// "Notifications", stays for screen readers and in the phone menu).
function bell() {
  return svg('svg', { class: 'nav-icon', viewBox: '0 0 24 24', width: 20, height: 20, 'aria-hidden': 'true', focusable: 'false' },
    svg('path', { d: 'M12 3a6 6 0 0 0-6 6v4.2L4.3 16.5A1 1 0 0 0 5.2 18h13.6a1 1 0 0 0 .9-1.5L18 13.2V9a6 6 0 0 0-6-6Zm-2.5 16a2.5 2.5 0 0 0 5 0Z' }));
}

function setUnread(n) {
  unread = Math.max(0, n);
  const b = document.getElementById('unread-badge');
  if (b) { b.textContent = String(unread); b.hidden = unread === 0; }
  const s = document.getElementById('unread-text');
  if (s) s.textContent = unread ? t('{n} unread', { n: unread }) : '';
}

async function watchUnread() {
  if (unsubscribeUnread) { unsubscribeUnread(); unsubscribeUnread = null; }
  const u = currentUser();
  if (!u || await owesApp(u)) { setUnread(0); return; } // the server refuses it until the app is set up
  // one count at a time: a burst of notifications asks once more after
  // the count under way, not once each (a person may have 4 lists in flight)
  let counting = false;
  let again = false;
  const count = async () => {
    if (counting) { again = true; return; }
    counting = true;
    try {
      do {
        again = false;
        try {
          const res = await pb.collection('notifications').getList(1, 1, { filter: `read_at = ""`, fields: 'id' });
          setUnread(res.totalItems);
        } catch (e) { if (!e.isAbort) console.warn(e); }
      } while (again);
    } finally { counting = false; }
  };
  await count();
  const live = (e) => {
    count();
    // a new notification shows a toast, with a link to its lesson (the inbox shows it itself)
    if (e.action !== 'create' || location.pathname === '/notifications') return;
    const b = e.record.data && e.record.data.booking;
    toast(h('span', e.record.title, b ? [' ', h('a', { href: `/lessons/${encodeURIComponent(b)}` }, t('Open the lesson'))] : null));
  };
  try { unsubscribeUnread = await pb.realtime.subscribe(topics.MY_NOTIFICATIONS, live); } catch (e) { console.warn(e); }
}

// The header's count of unread messages, live: counted again (one count
// at a time) on every message one can read and when a thread is read.
let unreadMessages = 0;
let unsubscribeMessages = null;
let countingMessages = null;
function setUnreadMessages(n) {
  unreadMessages = Math.max(0, n);
  const b = document.getElementById('messages-badge');
  if (b) { b.textContent = String(unreadMessages); b.hidden = unreadMessages === 0; }
  const s = document.getElementById('messages-unread-text');
  if (s) s.textContent = unreadMessages ? t('{n} unread', { n: unreadMessages }) : '';
}
function countMessages() {
  if (countingMessages) { countingMessages.again = true; return; }
  countingMessages = { again: false };
  (async () => {
    do {
      countingMessages.again = false;
      try { setUnreadMessages((await messages.unread()).total); } catch (e) { if (!e.isAbort) console.warn(e); }
    } while (countingMessages.again);
    countingMessages = null;
  })();
}
document.addEventListener('tutorbase:messages-read', () => countMessages());
async function watchMessages() {
  if (unsubscribeMessages) { unsubscribeMessages(); unsubscribeMessages = null; }
  const u = currentUser();
  if (!u || await owesApp(u)) { setUnreadMessages(0); return; }
  countMessages();
  try { unsubscribeMessages = await pb.realtime.subscribe(topics.MY_MESSAGES, () => countMessages()); } catch (e) { console.warn(e); }
}

async function changeLang(l) {
  setLang(l);
  const u = currentUser();
  if (u && u.locale !== l) {
    try {
      const rec = await pb.collection('users').update(u.id, { locale: l });
      pb.authStore.save(pb.authStore.token, rec);
    } catch (e) { console.warn(e); }
  }
}

async function signOut() {
  await forgetDevice(); // this device stops showing the person's notifications
  await pb.realtime.unsubscribe().catch((e) => console.warn(e)); // while the token still works
  const sid = sessionOf(pb.authStore.token);
  if (sid) await sessions.revoke(sid).catch((e) => console.warn(e)); // the token stops working, not only here
  pb.authStore.clear();
  navigate('/');
}

function findRoute(path) {
  for (const [pattern, page, who] of ROUTES) {
    const params = match(pattern, path);
    if (params) return { page, who, params, pattern };
  }
  return null;
}

async function render() {
  const seq = ++renderSeq;
  closeDialogs(); // a dialog belongs to the page it was opened on
  for (const a of document.querySelectorAll('.skip-link:not([href="#main"])')) a.remove();
  if (cleanup) { try { cleanup(); } catch (e) { console.warn(e); } cleanup = null; }
  nav.classList.remove('open');
  document.querySelector('.menu-toggle').setAttribute('aria-expanded', 'false');
  renderNav();
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const route = findRoute(path);
  const query = new URLSearchParams(location.search);
  if (!route) {
    replace(main, pageTitle(t('Page not found')), h('p', h('a', { href: '/' }, t('Back to the tutors'))));
    document.title = `${t('Page not found')} · Tutorbase`;
    return;
  }
  const r = role();
  if (r === 'visitor') countVisit(route.pattern); // anonymous page views, per day and route (docs/insight.md)
  if (route.who && r === 'visitor') { navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true }); return; }
  if (route.who && route.who !== 'signed' && route.who !== r && !(r === 'admin' && route.who === 'student') && !(r === 'guardian' && route.page === 'credits')) {
    replace(main, pageTitle(t('Not for your account')), h('p', t('This page is for another kind of account.')), h('p', h('a', { href: '/' }, t('Back to the tutors'))));
    return;
  }
  if (r !== 'visitor' && path !== '/settings' && await owesApp()) { // the server refuses the rest until then
    if (seq === renderSeq) navigate('/settings#totp-h', { replace: true });
    return;
  }
  replace(main, loading());
  try {
    const mod = await pageModule(route.page);
    if (seq !== renderSeq) return;
    replace(main);
    const ctx = {
      root: main, params: route.params, query, path, navigate,
      setTitle: (s) => { document.title = `${s} · ${schoolName}`; },
      isCurrent: () => seq === renderSeq,
      setUnread,
      skipTo: (id, label) => document.querySelector('.skip-links').append(h('a', { class: 'skip-link', href: `#${id}` }, label)),
    };
    const c = await mod.default(ctx);
    if (seq !== renderSeq) { if (typeof c === 'function') c(); return; }
    cleanup = typeof c === 'function' ? c : null;
    const h1 = main.querySelector('h1');
    const target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) { target.setAttribute('tabindex', '-1'); target.focus(); target.scrollIntoView({ block: 'start' }); }
    else if (h1 && !document.activeElement?.closest('dialog') && focusOnRender) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
    focusOnRender = true;
  } catch (err) {
    console.error(err);
    if (seq === renderSeq) replace(main, errorBox(err));
  }
}

let schoolName = 'Tutorbase';
let focusOnRender = false; // not on the first load: the page starts at the top

// The signed-in tutor's photo in the header (next to Account), kept across renders.
const headerAvatar = h('span', { class: 'header-avatar' });
async function showTutorAvatar() {
  try {
    const tu = await myTutor();
    if (tu && role() === 'tutor') replace(headerAvatar, avatar(tu, { className: 'avatar-header' }));
  } catch (e) { console.warn(e); }
}

// Page modules, fetched as soon as the route is known (before the user is
// refreshed), so the page's script and the sign-in check load side by side.
const pageModules = new Map();
function pageModule(page) {
  if (!pageModules.has(page)) pageModules.set(page, import(`./js/pages/${page}.js`).catch((e) => { pageModules.delete(page); throw e; }));
  return pageModules.get(page);
}

async function start() {
  const first = findRoute(location.pathname.replace(/\/+$/, '') || '/');
  if (first) pageModule(first.page).catch(() => {}); // loaded again (and its error shown) by render()
  let langReady = setLang(browserLang(), { remember: false });
  // skip links move focus without touching the URL (a #hash would be a navigation)
  document.querySelector('.skip-links').addEventListener('click', (e) => {
    const a = e.target.closest('a.skip-link');
    const target = a && document.getElementById(a.getAttribute('href').slice(1));
    if (!target) return;
    e.preventDefault();
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView({ block: 'start' });
  });
  document.querySelector('.menu-toggle').addEventListener('click', (e) => {
    const open = !nav.classList.contains('open');
    nav.classList.toggle('open', open);
    e.currentTarget.setAttribute('aria-expanded', String(open));
  });
  if (pb.authStore.isValid) {
    try { await pb.collection('users').authRefresh(); } catch (e) { if (e.status === 401 || e.status === 403 || e.status === 404) pb.authStore.clear(); }
  } else if (pb.authStore.token) pb.authStore.clear();
  const u = currentUser();
  if (u && u.locale) langReady = setLang(u.locale, { remember: false });
  await langReady; // the first page is rendered in its language, dictionary loaded
  // who is signed in, and whether their authenticator app is on (setting it up may start the unread count)
  const whoKey = (x) => (x ? `${x.id}:${!!x.totp_enabled}` : '');
  let lastUser = whoKey(u);
  pb.authStore.onChange(() => {
    const now = currentUser();
    const id = whoKey(now);
    if (now && now.locale && now.locale !== lang()) setLang(now.locale);
    if (id !== lastUser) { lastUser = id; watchUnread(); watchMessages(); }
    renderNav();
  });
  document.addEventListener('tutorbase:profile', () => showTutorAvatar());
  onLangChange(() => render());
  onNavigate(render);
  startRouter();
  watchUnread();
  watchMessages();
  await render();
  // after the first page: its own requests go first on a slow link
  school().then((s) => {
    schoolName = s.name || 'Tutorbase';
    document.querySelector('.brand-name').textContent = schoolName;
    document.title = document.title.replace(/· Tutorbase$/, `· ${schoolName}`);
  }).catch((e) => console.warn(e));
}

start();
registerWorker();

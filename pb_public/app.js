// Tutorbase web app entry: the shell (header, navigation, language), the
// routes, and the signed-in user's live unread count.
import { pb, currentUser, role, school } from './js/pb.js';
import { h, replace } from './js/dom.js';
import { t, setLang, browserLang, lang, onLangChange } from './js/i18n.js';
import { startRouter, onNavigate, navigate, match } from './js/router.js';
import { loading, errorBox, pageTitle } from './js/ui.js';

// [path, page module, who may open it]
const ROUTES = [
  ['/', 'directory'], ['/tutors', 'directory'], ['/tutors/:id', 'tutor'],
  ['/signin', 'signin'], ['/signup', 'signup'], ['/forgot-password', 'signin'],
  ['/reset-password', 'landing'], ['/verify-email', 'landing'], ['/confirm-email-change', 'landing'],
  ['/checkout/success', 'checkout'], ['/checkout/cancel', 'checkout'],
  ['/lessons', 'lessons', 'signed'], ['/lessons/:id', 'lesson', 'signed'],
  ['/credits', 'credits', 'student'], ['/payments', 'payments', 'signed'], ['/reviews', 'reviews', 'student'],
  ['/notifications', 'notifications', 'signed'], ['/settings', 'settings', 'signed'],
  ['/tutor/requests', 'tutor-requests', 'tutor'], ['/tutor/calendar', 'tutor-calendar', 'tutor'],
  ['/tutor/availability', 'tutor-availability', 'tutor'], ['/tutor/packages', 'tutor-packages', 'tutor'],
  ['/tutor/earnings', 'tutor-earnings', 'tutor'], ['/tutor/profile', 'tutor-profile', 'tutor'],
  ['/admin/tutors', 'admin-tutors', 'admin'], ['/admin/bookings', 'admin-bookings', 'admin'],
  ['/admin/payments', 'admin-payments', 'admin'], ['/admin/reports', 'admin-reports', 'admin'],
  ['/admin/deliveries', 'admin-deliveries', 'admin'],
];

const NAV = {
  visitor: [['/', 'Find a tutor']],
  student: [['/', 'Find a tutor'], ['/lessons', 'My lessons'], ['/credits', 'Credits'], ['/payments', 'Payments'], ['/reviews', 'Reviews']],
  tutor: [['/tutor/requests', 'Requests'], ['/tutor/calendar', 'Calendar'], ['/tutor/availability', 'Availability'], ['/tutor/packages', 'Packages'], ['/tutor/earnings', 'Earnings'], ['/tutor/profile', 'Profile']],
  admin: [['/admin/tutors', 'Verification'], ['/admin/bookings', 'Bookings'], ['/admin/payments', 'Payments'], ['/admin/reports', 'Reports'], ['/admin/deliveries', 'Deliveries'], ['/', 'Tutors']],
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
  const langSelect = h('select', { 'aria-label': t('Language'), on: { change: (e) => changeLang(e.target.value) } },
    h('option', { value: 'en', selected: lang() === 'en' }, 'English'),
    h('option', { value: 'it', selected: lang() === 'it' }, 'Italiano'));
  const items = [...links, h('span', { class: 'nav-sep', 'aria-hidden': 'true' })];
  if (currentUser()) {
    items.push(
      h('a', { href: '/notifications', 'aria-current': path === '/notifications' ? 'page' : null },
        t('Notifications'), h('span', { class: 'badge', id: 'unread-badge', hidden: unread === 0 }, String(unread)),
        h('span', { class: 'visually-hidden', id: 'unread-text' }, unread ? t('{n} unread', { n: unread }) : '')),
      h('a', { href: '/settings', 'aria-current': path === '/settings' ? 'page' : null }, t('Account')),
      h('button', { type: 'button', class: 'linklike', on: { click: signOut } }, t('Sign out')));
  } else {
    items.push(h('a', { href: '/signin', 'aria-current': path === '/signin' ? 'page' : null }, t('Sign in')),
      h('a', { href: '/signup', 'aria-current': path === '/signup' ? 'page' : null }, t('Sign up')));
  }
  items.push(langSelect);
  replace(nav, items);
  document.querySelector('.skip-link').textContent = t('Skip to content');
  document.querySelector('.menu-toggle').textContent = t('Menu');
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
  if (!u) { setUnread(0); return; }
  const count = async () => {
    try {
      const res = await pb.collection('notifications').getList(1, 1, { filter: `read_at = ""`, fields: 'id' });
      setUnread(res.totalItems);
    } catch (e) { if (!e.isAbort) console.warn(e); }
  };
  await count();
  try { unsubscribeUnread = await pb.collection('notifications').subscribe('*', count); } catch (e) { console.warn(e); }
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
  pb.realtime.unsubscribe();
  pb.authStore.clear();
  navigate('/');
}

function findRoute(path) {
  for (const [pattern, page, who] of ROUTES) {
    const params = match(pattern, path);
    if (params) return { page, who, params };
  }
  return null;
}

async function render() {
  const seq = ++renderSeq;
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
  if (route.who && r === 'visitor') { navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true }); return; }
  if (route.who && route.who !== 'signed' && route.who !== r && !(r === 'admin' && route.who === 'student')) {
    replace(main, pageTitle(t('Not for your account')), h('p', t('This page is for another kind of account.')), h('p', h('a', { href: '/' }, t('Back to the tutors'))));
    return;
  }
  replace(main, loading());
  try {
    const mod = await import(`./js/pages/${route.page}.js`);
    if (seq !== renderSeq) return;
    replace(main);
    const ctx = {
      root: main, params: route.params, query, path, navigate,
      setTitle: (s) => { document.title = `${s} · ${schoolName}`; },
      isCurrent: () => seq === renderSeq,
      setUnread,
    };
    const c = await mod.default(ctx);
    if (seq !== renderSeq) { if (typeof c === 'function') c(); return; }
    cleanup = typeof c === 'function' ? c : null;
    const h1 = main.querySelector('h1');
    if (h1 && !document.activeElement?.closest('dialog') && focusOnRender) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
    focusOnRender = true;
  } catch (err) {
    console.error(err);
    if (seq === renderSeq) replace(main, errorBox(err));
  }
}

let schoolName = 'Tutorbase';
let focusOnRender = false; // not on the first load: the page starts at the top

async function start() {
  setLang(browserLang(), { remember: false });
  document.querySelector('.menu-toggle').addEventListener('click', (e) => {
    const open = !nav.classList.contains('open');
    nav.classList.toggle('open', open);
    e.currentTarget.setAttribute('aria-expanded', String(open));
  });
  if (pb.authStore.isValid) {
    try { await pb.collection('users').authRefresh(); } catch (e) { if (e.status === 401 || e.status === 403 || e.status === 404) pb.authStore.clear(); }
  } else if (pb.authStore.token) pb.authStore.clear();
  const u = currentUser();
  if (u && u.locale) setLang(u.locale, { remember: false });
  let lastUser = u ? u.id : '';
  pb.authStore.onChange(() => {
    const now = currentUser();
    const id = now ? now.id : '';
    if (now && now.locale && now.locale !== lang()) setLang(now.locale);
    if (id !== lastUser) { lastUser = id; watchUnread(); }
    renderNav();
  });
  onLangChange(() => render());
  onNavigate(render);
  startRouter();
  school().then((s) => {
    schoolName = s.name || 'Tutorbase';
    document.querySelector('.brand-name').textContent = schoolName;
  }).catch((e) => console.warn(e));
  watchUnread();
  await render();
}

start();

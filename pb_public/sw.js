// Tutorbase's service worker: it makes the web app installable and open
// without a network, and shows push notifications.
//
// The app shell (the page, its scripts, styles and icons) is kept in a
// cache and served from it only when the network fails: online, every file
// is still asked of the server first (which answers 304 for what did not
// change, see docs/webapp.md), so an upgrade is never hidden behind an old
// copy. API data is never cached: /api/ requests (and the dashboard's /_/)
// pass straight to the network, so nothing personal or stale is kept on
// the device and an offline page shows that it could not load, not old
// lessons.
const CACHE = 'tutorbase-shell-v1';

// Fetched at install: index.html and what it loads (keep in step with its
// modulepreload list), the icons and the manifest. Other pages' modules
// join the cache as they are fetched.
const SHELL = [
  '/index.html', '/app.js', '/css/theme.css', '/css/app.css', '/img/logo.svg',
  '/img/icon-192.png', '/img/icon-512.png', '/manifest.webmanifest',
  '/js/early.js', '/js/pb.js', '/vendor/pocketbase.es.mjs', '/js/dom.js', '/js/i18n.js', '/js/router.js',
  '/js/ui.js', '/js/api.js', '/js/format.js', '/js/push.js', '/js/pages/directory.js',
];

/** Whether a request may be answered from, and stored in, the shell cache. */
function isShell(url, request) {
  if (request.method !== 'GET' || url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/_/') || url.pathname === '/sw.js') return false;
  return request.mode === 'navigate' || /\.(js|mjs|css|svg|png|webmanifest)$/.test(url.pathname);
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (!isShell(url, event.request)) return; // the network's, untouched
  const navigation = event.request.mode === 'navigate';
  // every app path is index.html (the app routes on the path), stored once
  const key = navigation ? '/index.html' : url.pathname;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(event.request);
      if (res.ok && (!navigation || (res.headers.get('Content-Type') || '').startsWith('text/html'))) {
        event.waitUntil(cache.put(key, res.clone()));
      }
      return res;
    } catch (err) {
      const cached = await cache.match(key);
      if (cached) return cached;
      throw err;
    }
  })());
});

// A push message (internal/notify PushMessage: title, body, url).
self.addEventListener('push', (event) => {
  let msg = {};
  try { msg = event.data ? event.data.json() : {}; } catch { msg = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(msg.title || 'Tutorbase', {
    body: msg.body || '', icon: '/img/icon-192.png', data: { url: msg.url || '/notifications' },
  }));
});

// A tap opens the page the message points to, in an open tab when there is one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/notifications', self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil((async () => {
    const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const tab = tabs.find((c) => new URL(c.url).origin === url.origin);
    if (tab) { await tab.focus(); return tab.navigate(url.href); }
    return self.clients.openWindow(url.href);
  })());
});

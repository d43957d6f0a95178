// The installable app (issue 29): a device turns push notifications on and
// off, and the service worker keeps the app shell, never API data, for
// when the network is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo } from './lib.mjs';
import { S, open, clean } from './suite.mjs';

// Runs in the page before its scripts. Headless Chromium refuses real push
// subscriptions (there is no push service behind it), so PushManager's
// subscribe and getSubscription are replaced by ones that make what a
// browser would: an https endpoint and a real P-256 key and auth secret,
// kept in localStorage like a browser keeps its subscription. The
// applicationServerKey the page passed is kept for the test to check.
function stubPushManager() {
  const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const KEY = 'e2e_push_subscription';
  const make = (json) => json && {
    endpoint: json.endpoint, expirationTime: null,
    toJSON: () => ({ endpoint: json.endpoint, expirationTime: null, keys: json.keys }),
    unsubscribe: async () => { localStorage.removeItem(KEY); return true; },
  };
  PushManager.prototype.getSubscription = async function getSubscription() {
    return make(JSON.parse(localStorage.getItem(KEY) || 'null'));
  };
  PushManager.prototype.subscribe = async function subscribe(options) {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const json = {
      endpoint: `https://push.example.test/send/${b64(crypto.getRandomValues(new Uint8Array(12)))}`,
      keys: { p256dh: b64(await crypto.subtle.exportKey('raw', pair.publicKey)), auth: b64(crypto.getRandomValues(new Uint8Array(16))) },
      applicationServerKey: b64(options.applicationServerKey),
      userVisibleOnly: options.userVisibleOnly,
    };
    localStorage.setItem(KEY, JSON.stringify(json));
    return make(json);
  };
}

const mySubscriptions = (token) => api(S.server.url, '/api/collections/push_subscriptions/records', { token });

test('a device turns push notifications on and off, and the server keeps and forgets its subscription', async () => {
  const auth = await authFor(S.server.url, demo('sofia'));
  const c = await open({ auth });
  await c.context.grantPermissions(['notifications']);
  await c.context.addInitScript(stubPushManager);
  assert.equal((await mySubscriptions(auth.token)).totalItems, 0);

  await c.page.goto('/settings');
  // push is one more column of the preferences, on by default
  assert.equal(await c.page.getByRole('checkbox', { name: 'Lesson reminders: Push' }).isChecked(), true);
  const box = c.page.locator('#push-device');
  await box.getByRole('button', { name: 'Turn on push notifications' }).click();
  await box.getByText('Push notifications are on for this device.').waitFor();

  const stored = JSON.parse(await c.page.evaluate(() => localStorage.getItem('e2e_push_subscription')));
  assert.equal(stored.applicationServerKey, S.standIns.vapid.publicKey, 'subscribed with the school\'s VAPID key');
  assert.equal(stored.userVisibleOnly, true);
  let subs = await mySubscriptions(auth.token);
  assert.equal(subs.totalItems, 1);
  assert.equal(subs.items[0].endpoint, stored.endpoint);
  assert.equal(subs.items[0].user, auth.record.id);
  assert.match(subs.items[0].device, /^Chrome on /);

  // the device stays on across visits
  await c.page.reload();
  await box.getByText('Push notifications are on for this device.').waitFor();
  assert.equal((await mySubscriptions(auth.token)).totalItems, 1, 'seen again, not stored twice');

  await box.getByRole('button', { name: 'Turn off on this device' }).click();
  await box.getByRole('button', { name: 'Turn on push notifications' }).waitFor();
  subs = await mySubscriptions(auth.token);
  assert.equal(subs.totalItems, 0, 'the server forgot the device');
  assert.equal(await c.page.evaluate(() => localStorage.getItem('e2e_push_subscription')), null, 'the browser too');
  clean(c);
});

test('the service worker keeps the app shell for offline use and never API data', async () => {
  const auth = await authFor(S.server.url, demo('luca'));
  const c = await open({ auth });
  await c.page.goto('/');
  await c.page.locator('.tutor-card').first().waitFor();
  await c.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // pages and their data, fetched through the worker
  await c.page.getByRole('link', { name: 'My lessons' }).click();
  await c.page.getByRole('heading', { name: 'Upcoming' }).waitFor();
  await c.page.getByRole('link', { name: /^Notifications/ }).click();
  await c.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
  await c.page.waitForLoadState('networkidle');

  const cached = await c.page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
    return out;
  });
  for (const shell of ['/index.html', '/app.js', '/css/app.css', '/vendor/pocketbase.es.mjs', '/js/pages/lessons.js', '/manifest.webmanifest']) {
    assert.ok(cached.includes(shell), `${shell} is cached (cached: ${cached.join(', ')})`);
  }
  assert.deepEqual(cached.filter((p) => p.startsWith('/api/')), [], 'no API answer is cached');

  // the network goes: the shell still opens, on any path, and says the data could not load
  await c.context.setOffline(true);
  try {
    await c.page.reload();
    await c.page.locator('.brand-name').getByText('Tutorbase').waitFor();
    await c.page.getByRole('link', { name: 'My lessons' }).click();
    await c.page.waitForURL('**/lessons');
    await c.page.locator('main [role="alert"]').first().waitFor();
    assert.equal(await c.page.locator('#upcoming li.lesson').count(), 0, 'no lesson shown from a cache');
    // a page opened from its address: the worker answers the navigation with the cached page
    await c.page.goto('/notifications?offline=1');
    await c.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await c.page.locator('main [role="alert"]').first().waitFor();
  } finally {
    await c.context.setOffline(false);
  }
  // what failed offline is expected; nothing else may have gone wrong
  c.problems.splice(0, c.problems.length, ...c.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource|TypeError: fetch|Could not load|ClientResponseError|net::|autocancelled|Something went wrong/i.test(p)));
  clean(c);

  // the worker, like the app's scripts, is revalidated on every visit and runs under the app's policy
  const res = await fetch(`${S.server.url}/sw.js`);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  assert.match(res.headers.get('content-security-policy') || '', /default-src 'self'/);
  const manifest = await fetch(`${S.server.url}/manifest.webmanifest`);
  assert.equal(manifest.headers.get('content-type'), 'application/manifest+json');
  const m = await manifest.json();
  assert.equal(m.display, 'standalone');
  for (const icon of m.icons) assert.equal((await fetch(`${S.server.url}${icon.src}`)).status, 200, icon.src);
});

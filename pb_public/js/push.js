// The app on this device: the service worker (installable, the shell
// offline) and push notifications, turned on and off per device. The
// server keeps one subscription per device (push_subscriptions) and sends
// each notification the person wants by push to every one of them.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { toast } from './ui.js';
import { push as api } from './api.js';

/** Registers the service worker (sw.js, scope /) once the page has loaded. */
export function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  const go = () => navigator.serviceWorker.register('/sw.js').catch((e) => console.warn('service worker', e));
  if (document.readyState === 'complete') go(); else window.addEventListener('load', go, { once: true });
}

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function current() {
  const reg = await navigator.serviceWorker.ready;
  return { reg, sub: await reg.pushManager.getSubscription() };
}

/** A short label of this browser for the person's list of devices. */
function deviceLabel() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

function keyBytes(b64url) {
  const s = atob(b64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64url.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Signing out: this device stops receiving the person's notifications. */
export async function forgetDevice() {
  if (!supported() || !navigator.serviceWorker.controller) return;
  try {
    const { sub } = await current();
    if (!sub) return;
    await api.unsubscribe(sub.endpoint);
    await sub.unsubscribe();
  } catch (e) { console.warn('push', e); }
}

/** The account page's box: push on this device, on or off. */
export function pushBox() {
  const box = h('div', { class: 'contact-proof', id: 'push-device', 'aria-live': 'polite' });
  const say = (...parts) => replace(box, h('p', { class: 'small m0' }, ...parts));
  async function render() {
    if (!supported()) { say(t('This browser cannot receive push notifications.')); return; }
    let key;
    try { key = await api.key(); } catch { say(t('Push notifications could not be checked. Try again later.')); return; }
    if (!key.enabled) { say(t('The school has not set up push notifications.')); return; }
    if (Notification.permission === 'denied') { say(t('Notifications are blocked for this site in the browser\'s settings.')); return; }
    const { sub } = await current();
    if (sub) {
      await api.subscribe(sub.toJSON(), deviceLabel()).catch(() => {}); // kept in step: this person, these keys
      replace(box, h('p', { class: 'small m0 proven' }, '✓ ', t('Push notifications are on for this device.')),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: () => turnOff(sub) } }, t('Turn off on this device'))));
      return;
    }
    replace(box, h('p', { class: 'small m0' }, t('Get notifications on this device even when the page is closed.')),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', on: { click: () => turnOn(key.public_key) } }, t('Turn on push notifications'))));
  }
  async function turnOn(publicKey) {
    try {
      if (await Notification.requestPermission() !== 'granted') { render(); return; }
      const { reg } = await current();
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
      await api.subscribe(sub.toJSON(), deviceLabel());
      toast(t('Push notifications are on for this device.'));
    } catch (e) {
      console.warn('push', e);
      toast(t('Push notifications could not be turned on.'), { error: true });
    }
    render();
  }
  async function turnOff(sub) {
    try {
      await api.unsubscribe(sub.endpoint);
      await sub.unsubscribe();
      toast(t('Push notifications are off for this device.'));
    } catch (e) {
      console.warn('push', e);
      toast(t('Push notifications could not be turned off.'), { error: true });
    }
    render();
  }
  render().catch((e) => { console.warn('push', e); say(t('Push notifications could not be checked. Try again later.')); });
  return box;
}

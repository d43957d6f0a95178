// Custom routes of the server that pages call, in one place (the older
// pages still spell some of theirs; new ones go here).
import { pb, takeEarly } from './pb.js';

const post = (path, body) => pb.send(path, { method: 'POST', body: body || {} });

/** Proving the signed-in person's phone and connecting their Telegram (hooks/contacts.go). */
export const account = {
  /** Sends a code to the saved mobile number by 'sms' or 'whatsapp'. */
  sendPhoneCode: (channel) => post('/api/account/phone/send', { channel }),
  /** Checks the code; answers the updated users record. */
  verifyPhone: (code) => post('/api/account/phone/verify', { code }),
  /** A t.me link to the school's bot with a one-time token: {url, bot, expires_at}. */
  telegramLink: () => post('/api/account/telegram/link'),
  /** Reads the bot's messages now: {connected}. */
  telegramCheck: () => post('/api/account/telegram/check'),
  /** Stops Telegram messages; answers the updated users record. */
  telegramDisconnect: () => post('/api/account/telegram/disconnect'),
};

/** The longest range the slots route answers at once (hooks/slots.go MaxSlotsSpan). */
export const SLOTS_SPAN_DAYS = 62;

/** A tutor's free lessons of `minutes` between two instants: {slots: [{start, end}], timezone}. */
export function tutorSlots(tutorId, from, to, minutes) {
  return pb.send(`/api/tutors/${encodeURIComponent(tutorId)}/slots`, {
    query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), minutes },
  });
}

/** Books a weekly series ({tutor, start, end, weeks, skip?, ...}): {series, bookings}. */
export const bookSeries = (body) => post('/api/series', body);

/** The URL of a tutor's photo in one of its sizes ('small' 96 px, 'large' 320 px), or ''. */
export function avatarUrl(tutor, size = 'small') {
  if (!tutor || !tutor.avatar) return '';
  const thumb = size === 'large' ? '320x320' : '96x96';
  return `/api/files/tutors/${encodeURIComponent(tutor.id)}/${encodeURIComponent(tutor.avatar)}?thumb=${thumb}`;
}

/** The tutor directory's search: {page, perPage, totalItems, totalPages, items}. */
export function searchTutors(query) {
  const ask = () => pb.send('/api/search/tutors', { query });
  const plain = Object.keys(query).length === 2 && Number(query.page) === 1 && query.perPage === 24;
  const early = plain ? takeEarly('search') : null; // js/early.js asked for exactly this
  return early ? early.catch(ask) : ask();
}

/** The session a token names (internal/app/signin ClaimSession), or ''. */
export function sessionOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part)).sid || '';
  } catch { return ''; }
}

/** The signed-in person's sessions (internal/app/signin). */
export const sessions = {
  /** {items: [{id, method, device, browser, network, first_seen, last_seen, current}]}. */
  list: () => pb.send('/api/me/sessions', {}),
  /** Signs one session out (this one too: signing out). */
  revoke: (id) => post('/api/me/sessions/revoke', { id }),
  /** Signs every session out, this one included. */
  revokeAll: () => post('/api/me/sessions/revoke-all'),
};

/** The signed-in person's authenticator app (internal/app/signin totp.go). */
export const totp = {
  /** A new secret to enrol: {secret, url, qr (a PNG data URL)}. */
  setup: () => post('/api/me/totp/setup'),
  /** Turns the app on with a code from it: {recovery_codes}. */
  enable: (code) => post('/api/me/totp/enable', { code }),
  /** Turns the app off with a code from it or a recovery code. */
  disable: (code) => post('/api/me/totp/disable', { code }),
  /** Ten new recovery codes for a code: {recovery_codes}. */
  recoveryCodes: (code) => post('/api/me/totp/recovery-codes', { code }),
};

const DEVICE_KEY = 'tutorbase_device';

/** The second step of a sign-in (internal/app/signin totp_auth.go). */
export const secondFactor = {
  /** Which second factors a sign-in may use: {app, email}. */
  methods: (mfaId) => post('/api/auth/second-factors', { mfaId }),
  /** Completes the sign-in with an app code or a recovery code; remembers this device when asked. */
  async withApp(mfaId, code, remember) {
    const res = await post('/api/auth/totp', { mfaId, code, remember });
    pb.authStore.save(res.token, res.record);
    if (res.meta && res.meta.device) localStorage.setItem(DEVICE_KEY, res.meta.device);
    return res;
  },
  /** The header a remembered device signs in with. */
  deviceHeaders() {
    const d = localStorage.getItem(DEVICE_KEY);
    return d ? { 'X-Device-Token': d } : {};
  },
};

/** A sign-in alert's "this was not me" link: signs that device out and emails a password reset. */
export const reportSignIn = (token) => post('/api/auth/not-me', { token });

/** Staff review of the flags of suspicious activity (internal/app/flags). */
export const flags = {
  /** action: 'dismiss', 'warn' or 'suspend'; answers the flag. */
  review: (id, action, note = '') => post(`/api/flags/${encodeURIComponent(id)}/review`, { action, note }),
};

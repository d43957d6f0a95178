// The one PocketBase client, the signed-in user and cached public records.
import PocketBase from '../vendor/pocketbase.es.mjs';
import { lang } from './i18n.js';

export const pb = new PocketBase('/');
pb.autoCancellation(false); // pages cancel their own work; never drop a request silently
// the server answers errors in the person's language: their saved one when
// signed in, else this header, which says the language the app shows
pb.beforeSend = (url, options) => {
  options.headers = { ...(options.headers || {}), 'Accept-Language': lang() };
  options.fetch = patientFetch;
  return { url, options };
};

/**
 * fetch, but a GET answered 429 with Retry-After (too many expensive
 * requests of this person in flight, internal/app/limits) is asked again
 * after that wait, a few times: a page that needs several lists at once
 * gets them all, a moment later, instead of an error.
 */
export async function patientFetch(input, init = {}) {
  for (let tries = 1; ; tries++) {
    const res = await fetch(input, init);
    const wait = Number(res.headers.get('Retry-After'));
    if (res.status !== 429 || !(wait > 0 && wait <= 5) || tries >= 4 || (init.method && init.method !== 'GET')) return res;
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}

/**
 * Runs the functions (each returning a promise) at most n at a time, and
 * resolves to their results in order: a page that needs many expensive
 * answers stays within the person's places in flight (4, docs/security.md).
 */
export async function inTurns(fns, n = 3) {
  const out = [];
  let next = 0;
  const worker = async () => { while (next < fns.length) { const i = next++; out[i] = await fns[i](); } };
  await Promise.all(Array.from({ length: Math.min(n, fns.length) }, worker));
  return out;
}

export function currentUser() { return pb.authStore.isValid ? pb.authStore.record : null; }
export function role() { const u = currentUser(); return u ? u.role : 'visitor'; }
export function signedIn() { return !!currentUser(); }

let schoolPromise = null;
/** The school record (policies, currency, payment instructions), cached; refresh after staff change it. */
export function school(refresh = false) {
  if (!schoolPromise || refresh) schoolPromise = pb.collection('school').getOne('tutorbaseschool').catch((e) => { schoolPromise = null; throw e; });
  return schoolPromise;
}

/**
 * An answer js/early.js asked for before the app loaded ('search',
 * 'subjects'), once; null when it did not ask.
 */
export function takeEarly(name) {
  const early = globalThis.tutorbaseEarly;
  if (!early || !early[name]) return null;
  const p = early[name];
  delete early[name];
  return p;
}

/** Whether the person must use an authenticator app: staff, and tutors where the school requires it. */
export async function needsApp(u = currentUser()) {
  if (!u || (u.role !== 'admin' && u.role !== 'tutor')) return false;
  if (u.role === 'admin') return true;
  try { return !!(await school()).tutors_need_mfa; } catch { return false; }
}

/** Whether the person must set the app up before anything else (the server refuses the rest until then). */
export async function owesApp(u = currentUser()) { return !!u && !u.totp_enabled && needsApp(u); }

let subjectsPromise = null;
/** All subjects, cached: [{id, name, slug}]. */
export function subjects() {
  if (!subjectsPromise) {
    const all = () => pb.collection('subjects').getFullList({ sort: 'name' });
    const early = takeEarly('subjects');
    subjectsPromise = (early ? early.then((r) => (r.items.length < 200 ? r.items : all()), all) : all())
      .catch((e) => { subjectsPromise = null; throw e; });
  }
  return subjectsPromise;
}

/** Forgets the cached subjects (staff added one). */
export function forgetSubjects() { subjectsPromise = null; }

/** A subject's name in the current language, when the school gave one (subjects.names), else its name. */
export function subjectLabel(s) {
  return (s && s.names && s.names[lang()]) || (s && s.name) || '';
}

/** Subject ids to their names in the current language. */
export async function subjectNames() {
  const map = new Map();
  for (const s of await subjects()) map.set(s.id, subjectLabel(s));
  return map;
}

let myTutorPromise = null;
/** The signed-in tutor's own tutors record. */
export function myTutor(refresh = false) {
  const u = currentUser();
  if (!u || u.role !== 'tutor') return Promise.resolve(null);
  if (!myTutorPromise || refresh) {
    myTutorPromise = pb.collection('tutors').getFirstListItem(pb.filter('user = {:u}', { u: u.id })).catch((e) => { myTutorPromise = null; throw e; });
  }
  return myTutorPromise;
}

pb.authStore.onChange(() => { myTutorPromise = null; });

/** Whether err is a request the app itself aborted. */
export function isAbort(err) { return !!(err && err.isAbort); }

/** A PocketBase date string for a Date. */
export function pbDate(d) { return d.toISOString().replace('T', ' '); }

/** base64url(sha256(pw)) with "~" in front, as the server's Prehash does for passwords over 71 bytes. */
export async function prehash(pw) {
  if (new TextEncoder().encode(pw).length <= 71) return pw;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pw)));
  let bin = '';
  for (const b of digest) bin += String.fromCharCode(b);
  return '~' + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * GET a custom route that answers a file (CSV, PDF, zip) and save it as
 * filename. Rejects with the server's message, status and answer when it
 * refuses.
 */
export async function download(path, filename) {
  const res = await patientFetch(path, { headers: pb.authStore.token ? { Authorization: pb.authStore.token } : {} });
  if (!res.ok) {
    let data = {};
    try { data = await res.json(); } catch { /* not JSON */ }
    throw Object.assign(new Error(data.message || `HTTP ${res.status}`), { status: res.status, response: data });
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url; a.download = filename; a.hidden = true;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

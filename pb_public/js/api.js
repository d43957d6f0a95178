// Custom routes of the server that pages call, in one place (the older
// pages still spell some of theirs; new ones go here).
import { pb, takeEarly, download } from './pb.js';

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

/** A tutor's own calendars read as busy time (internal/app/busy, docs/calendars.md). */
export const calendarFeeds = {
  /** Reads the feed now, whatever its back-off; answers the calendar_feeds record with the outcome. */
  refresh: (id) => post(`/api/calendar/feeds/${encodeURIComponent(id)}/refresh`),
};
let setupPromise = null;
/** What the server says of the school's set-up, cached: {smtp} (whether email is sent). */
export function setup() {
  if (!setupPromise) setupPromise = pb.send('/api/setup', {}).catch((e) => { setupPromise = null; throw e; });
  return setupPromise;
}

/** Cancels every lesson a time off covers, as its tutor (students told and refunded): {cancelled: [booking ids]}. */
export const cancelLessonsForTimeOff = (id) => post(`/api/time-off/${encodeURIComponent(id)}/cancel-lessons`);

/** Push notifications of this device (hooks/routes.go, internal/app/notifications/push.go). */
export const push = {
  /** Whether the server sends push, and its VAPID public key: {enabled, public_key}. */
  key: () => pb.send('/api/account/push', {}),
  /** Records this device's PushSubscription (its toJSON()) and a label. */
  subscribe: (sub, device) => post('/api/account/push/subscribe', { ...sub, device }),
  /** Forgets this device's subscription: {removed}. */
  unsubscribe: (endpoint) => post('/api/account/push/unsubscribe', { endpoint }),
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

/** Tutors ranked for a student's wishes, with reasons (docs/discovery.md, Matching): {items: [{tutor, score, rank, reasons, next_free, timezone}]}. */
export const matchTutors = (query) => pb.send('/api/match', { query });

/** The help assistant (internal/app/assist): {answer, sources: [{kind, id, title, link}], intent, phrased, answered, language}. */
export const askAssistant = (question) => post('/api/assistant', { question });

/** Scheduling suggestions for the signed-in person: {series: [{text, tutor, subject, start, end, weeks, starts, timezone}]}. */
export const suggestions = () => pb.send('/api/suggestions', {});

/** Churn risk (staff): the students at risk {items: [{student, name, score, computed, reasons: [{code, points, values, text}], coupon}], threshold}, and a coupon offered to one → {id, code, percent, valid_until}. */
export const atRisk = {
  list: () => pb.send('/api/at-risk', {}),
  offerCoupon: (student) => post(`/api/at-risk/${encodeURIComponent(student)}/coupon`),
};

/**
 * Lesson materials (internal/app/materials): uploads go to the records API
 * with a progress callback (fetch cannot report one); downloads, links and
 * zips are plain browser navigations carrying a short-lived file token.
 */
export const materials = {
  /**
   * Creates a material from fields (owner, title, folder, previous, ...)
   * and file, calling onProgress(0..1) as the body is sent. Rejects with an
   * error shaped like the SDK's ({status, response: {message, data}}).
   */
  upload(fields, file, onProgress) {
    return new Promise((resolve, reject) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) {
        if (Array.isArray(v)) v.forEach((x) => fd.append(k, x));
        else if (v !== undefined && v !== null && v !== '') fd.append(k, v);
      }
      fd.append('file', file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/collections/materials/records');
      if (pb.authStore.token) xhr.setRequestHeader('Authorization', pb.authStore.token);
      xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); });
      xhr.addEventListener('load', () => {
        let data = {};
        try { data = JSON.parse(xhr.responseText || '{}'); } catch { data = {}; }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else reject(Object.assign(new Error(data.message || `HTTP ${xhr.status}`), { status: xhr.status, response: data }));
      });
      xhr.addEventListener('error', () => reject(Object.assign(new Error('network'), { status: 0, response: {} })));
      xhr.send(fd);
    });
  },
  /** Where a link material opens (the opening is recorded for its tutor). */
  openURL: (id, token) => `/api/materials/${encodeURIComponent(id)}/open?token=${encodeURIComponent(token)}`,
  /** One zip of the files of ids (links listed in links.txt), streamed by the server. */
  zipURL: (ids, token) => `/api/materials/zip?ids=${ids.map(encodeURIComponent).join(',')}&token=${encodeURIComponent(token)}`,
  /** Moves materials (all their versions) to folder ('' is none): {moved}. */
  move: (ids, folder) => post('/api/materials/move', { ids, folder }),
  /** Stops sharing materials with student, or with everybody when student is '': {unshared}. */
  unshare: (ids, student = '') => post('/api/materials/unshare', { ids, student }),
};

/** Teaching between lessons (internal/app/teaching). */
export const teaching = {
  /** Marks a report's homework done, with an optional File; answers the report. */
  homeworkDone(reportId, file) {
    const body = new FormData();
    if (file) body.append('file', file);
    return pb.send(`/api/lesson-reports/${encodeURIComponent(reportId)}/homework-done`, { method: 'POST', body });
  },
  /** A student's progress per subject: {student, name, subjects: [{subject, name, ratings, lessons, homework}]}. */
  progress: (studentId) => pb.send(`/api/students/${encodeURIComponent(studentId)}/progress`, {}),
  /** What a calendar view shows between two instants: {timezone, lessons, time_off, available}. */
  agenda(from, to, tutor) {
    const query = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    if (tutor) query.tutor = tutor;
    return pb.send('/api/agenda', { query });
  },
};

/** The longest range the agenda answers (internal/app/teaching MaxAgendaSpan). */
export const AGENDA_SPAN_DAYS = 43;

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

/** E-invoices (internal/app/payments/einvoice.go). */
export const einvoices = {
  /**
   * Downloads a month's FatturaPA files as one zip (staff); month is
   * "YYYY-MM". Rejects with the server's message when it refuses.
   */
  downloadMonth: (month) => download(`/api/invoices/fatturapa.zip?month=${encodeURIComponent(month)}`, `fatturapa-${month}.zip`),
};

/** The signed-in person's data rights (internal/app/privacy, docs/privacy.md). */
export const privacy = {
  /** Saves the zip of everything the school holds about the signed-in person; rejects with the server's message (one export an hour). */
  exportMine: (filename) => download('/api/me/export', filename),
  /** Asks for the account's erasure with {password} or an emailed code {otpId, code}: {erase_after}; every session ends. */
  requestDeletion: (body) => post('/api/me/delete', body),
};
/** A tutor's own payout account with the payment provider (internal/app/payouts/onboarding.go). */
export const payoutAccount = {
  /** {by_hand, connected, status}: status is details_needed, pending or enabled, read from the provider now. */
  get: () => pb.send('/api/payouts/account', {}),
  /** {url}: the provider's page where the tutor sets the account up (created on the first call). */
  link: () => post('/api/payouts/account/link'),
};

/** The path of a monthly statement's PDF ("2027-03"), with query ({as: 'payer'}, or staff's {tutor} or {user}) (internal/app/statements). */
export function statementPath(month, query = {}) {
  const q = new URLSearchParams(query).toString();
  return `/api/statements/${encodeURIComponent(month)}${q ? `?${q}` : ''}`;
}
/** The signed-in person's Google Calendar connection (internal/app/google, docs/calendars.md). */
export const googleCalendar = {
  /** {available, status, email, calendar, last_error, connected_at, busy_synced_at, busy_events}; never a token. */
  status: () => pb.send('/api/google/calendar', {}),
  /** The address of Google's consent page: {url}. */
  connect: () => post('/api/google/calendar/connect'),
  /** Hands Google's answer (code and state of the callback address) over; answers the status. */
  callback: (code, state) => post('/api/google/calendar/callback', { code, state }),
  /** Revokes and removes the tokens; lessons stop being written, busy times go. */
  disconnect: () => post('/api/google/calendar/disconnect'),
  /** The person's Google calendars: {calendars: [{id, name, primary, writable, busy, lessons}]}. */
  calendars: () => pb.send('/api/google/calendars', {}),
  /** Chooses the calendar lessons are written to and those whose busy times block the person's slots; answers the status. */
  choose: (lessons, busy) => post('/api/google/calendars', { lessons, busy }),
};

/** Drive files attached as link materials, shared at Google with the material's people (internal/app/google/drive.go). */
export const googleDrive = {
  /** Whether a link is a Google Drive or Docs file. */
  isDrive: (url) => /^https:\/\/(drive|docs)\.google\.com\//.test(url || ''),
  /** Shares the material's Drive file with its students as readers: {file, shared: [emails]}. */
  share: (material) => post('/api/google/drive/share', { material }),
  /** Google Picker's set-up for the signed-in tutor: {available, api_key, app_id, client_id, access_token}. */
  picker: () => pb.send('/api/google/picker', {}),
};
/** Families: guardians and their students (internal/app/guardians, docs/families.md). */
export const guardians = {
  /** Invites email to be a guardian (of the signed-in student, or of `student`): the open link. */
  invite: (email, student = '') => post('/api/guardians/invite', student ? { email, student } : { email }),
  /** Accepts an invitation with the secret of its email: the link. */
  accept: (token) => post('/api/guardians/accept', { token }),
  /** A guardian adds a child without an email ({name, birth_date?, level?}): the child's users record. */
  addChild: (body) => post('/api/guardians/children', body),
  /** Staff link a guardian account to a student account at once, each named by its id or email: the link. */
  link: (student, guardian) => post('/api/guardians/link', { student, guardian }),
  /** Ends a link, or withdraws an open invitation. */
  remove: (id) => post(`/api/guardians/${encodeURIComponent(id)}/remove`),
  /** Whether the guardian receives this student's reminders and lesson notices: the link. */
  notices: (id, on) => post(`/api/guardians/${encodeURIComponent(id)}/notices`, { on }),
  /** The realtime topic of a guardian's students' bookings ({action, record}). */
  TOPIC: 'family/bookings',
};

/** A guardian's students, as [{id, name}] in the order they were linked. */
export async function myStudents(me) {
  const links = await pb.collection('guardians').getFullList({ filter: pb.filter('guardian = {:me} && status = "accepted"', { me }), expand: 'student', sort: 'created' });
  return links.map((l) => ({ id: l.student, name: (l.expand && l.expand.student && l.expand.student.name) || l.student, link: l.id, muted: l.muted }));
}

const CHILD_KEY = 'tb.child';
/** The student a guardian acts for (the switcher's choice), among students. */
export function chosenStudent(students) {
  const id = localStorage.getItem(CHILD_KEY);
  return students.find((s) => s.id === id) || students[0] || null;
}
/** Remembers the student a guardian acts for. */
export function chooseStudent(id) { localStorage.setItem(CHILD_KEY, id); }

/** Plans and subscriptions (internal/app/subscriptions, docs/payments.md). */
export const subscriptions = {
  /** Starts a subscription to plan: {subscription, url} (Stripe Checkout) or {subscription, instructions} (the school's). */
  subscribe: (plan, student = '') => post('/api/subscriptions', student ? { plan, student } : { plan }),
  /** Ends the subscription at the end of the period paid: the subscription. */
  cancel: (id) => post(`/api/subscriptions/${encodeURIComponent(id)}/cancel`),
  /** Chooses the plan of the next periods: the subscription. */
  changePlan: (id, plan) => post(`/api/subscriptions/${encodeURIComponent(id)}/plan`, { plan }),
  /** The payment provider's page for the card: {url}. */
  portal: (id) => post(`/api/subscriptions/${encodeURIComponent(id)}/portal`),
  /** Staff record a period paid by hand ({method, reference, after: the current_period_end shown}). */
  renew: (id, body) => post(`/api/subscriptions/${encodeURIComponent(id)}/renew`, body),
};

/** Counts a page view of someone not signed in: the route's pattern only, no cookie (internal/app/reports/visits.go). Never fails the page. */
export function countVisit(pattern) {
  pb.send('/api/visits', { method: 'POST', body: { path: pattern }, requestKey: null }).catch(() => {});
}

/** Staff reports (internal/app/reports, docs/insight.md): the JSON of one, and the address of its CSV or PDF. */
export const reports = {
  get: (name, query) => pb.send(`/api/reports/${encodeURIComponent(name)}`, { query }),
  file: (name, query, format) => `/api/reports/${encodeURIComponent(name)}?${new URLSearchParams({ ...query, format })}`,
};

/** Conversations (internal/app/messages, docs/messages.md); messages themselves are the records API. */
export const messages = {
  /** The direct thread with a person (made once): {to, student?, subject?} → threads record. */
  start: (body) => post('/api/threads', body),
  /** The lesson's thread (made once) → threads record. */
  lessonThread: (booking) => post(`/api/bookings/${encodeURIComponent(booking)}/thread`),
  /** The caller's unread messages: {total, threads: {id: n}}. */
  unread: () => pb.send('/api/threads/unread', {}),
  /** The caller has read the thread up to now. */
  read: (thread) => post(`/api/threads/${encodeURIComponent(thread)}/read`),
  /** Sends the thread to staff, with an optional reason. */
  report: (thread, reason) => post(`/api/threads/${encodeURIComponent(thread)}/report`, { reason }),
  /** Staff: the thread takes no more messages. */
  close: (thread) => post(`/api/threads/${encodeURIComponent(thread)}/close`),
  /** Its author deletes a message for everyone. */
  remove: (message) => post(`/api/messages/${encodeURIComponent(message)}/delete`),
};

/** Follow-up sequences (internal/app/sequences, docs/insight.md). */
export const sequences = {
  /** Staff: every sequence with its words, on/off and counts: { sequences: [...], booked_within_days }. */
  list: () => pb.send('/api/sequences', {}),
  /** Anyone with an unsubscribe link's token: { sequence, unsubscribed, all }. */
  state: (token) => pb.send('/api/sequences/unsubscribe', { query: { token } }),
  /** Stops the link's sequence for its person (all: every sequence); no sign-in needed. */
  unsubscribe: (token, all) => post('/api/sequences/unsubscribe', { token, all: !!all }),
};

/**
 * Realtime topics ({action, record}) that the server filters by comparing
 * ids, where PocketBase's "collection/*" checks the list rule once per
 * open page on every change (docs/scaling.md). Subscribe with
 * pb.realtime.subscribe(topic, fn).
 */
export const topics = {
  /** A student's and a tutor's own lessons. */
  MY_BOOKINGS: 'my/bookings',
  /** Every booking, for staff. */
  STAFF_BOOKINGS: 'staff/bookings',
  /** One's own notifications. */
  MY_NOTIFICATIONS: 'my/notifications',
  /** The messages of the threads one reads. */
  MY_MESSAGES: 'my/messages',
  /** The threads one reads. */
  MY_THREADS: 'my/threads',
};

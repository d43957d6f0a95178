// i18n: English source strings are the keys; lang/it.js translates them.
// The language comes from users.locale when signed in, else a choice kept in
// localStorage, else the browser's language. A dictionary is loaded only
// when its language is chosen (English needs none).

const dictionaries = {};
const loaders = { it: () => import('./lang/it.js') };
export const LANGS = ['en', 'it'];
let current = 'en';
let pending = Promise.resolve();
const listeners = new Set();

export function browserLang() {
  const stored = localStorage.getItem('tutorbase_lang');
  if (LANGS.includes(stored)) return stored;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const code = String(l).slice(0, 2).toLowerCase();
    if (LANGS.includes(code)) return code;
  }
  return 'en';
}

export function lang() { return current; }

/**
 * BCP 47 tag for Intl formatting: the person's own variant of the language
 * when the browser names one ("en-US" writes 12-hour times, "en-GB" and
 * "it-IT" 24-hour ones), else en-GB or it-IT.
 */
export function locale() {
  for (const tag of navigator.languages || [navigator.language]) {
    if (String(tag).toLowerCase().startsWith(`${current}-`)) return String(tag);
  }
  return current === 'it' ? 'it-IT' : 'en-GB';
}

/**
 * Switches the language once its dictionary is loaded; listeners run then.
 * Calls are applied in order; the promise settles when this one is.
 */
export function setLang(l, { remember = true } = {}) {
  if (!LANGS.includes(l)) l = 'en';
  if (remember) localStorage.setItem('tutorbase_lang', l);
  pending = pending.then(async () => {
    if (l !== 'en' && !dictionaries[l]) {
      try { dictionaries[l] = (await loaders[l]()).default; } catch (e) { console.warn(e); return; }
    }
    if (l === current) return;
    current = l;
    document.documentElement.lang = l;
    for (const fn of listeners) fn(l);
  });
  return pending;
}

export function onLangChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** t('Hello {name}', {name}) translates and fills placeholders. */
export function t(key, params) {
  let s = (dictionaries[current] && dictionaries[current][key]) || key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? String(params[k]) : m));
  return s;
}

/** The translated word for an enumeration value (status, kind, ...). */
export function tv(group, value) {
  const key = `${group}.${value}`;
  const s = dictionaries[current] && dictionaries[current][key];
  if (s) return s;
  const en = ENUMS[key];
  return en || String(value).replace(/_/g, ' ');
}

// English labels of enumeration values (Italian ones are in lang/it.js).
const ENUMS = {
  'status.no_show': 'no-show', 'status.partially_refunded': 'partly refunded',
  'status.incomplete': 'awaiting payment', 'status.past_due': 'payment failed',
  'coupon.package': 'packages', 'coupon.lesson': 'lessons',
  'kind.credit_note': 'credit note',
  'channel.inapp': 'In app', 'channel.email': 'Email', 'channel.sms': 'SMS', 'channel.whatsapp': 'WhatsApp', 'channel.telegram': 'Telegram', 'channel.push': 'Push',
  'event.booking_created': 'New booking', 'event.booking_confirmed': 'Booking confirmed', 'event.booking_cancelled': 'Booking cancelled',
  'event.booking_rescheduled': 'Booking moved', 'event.reminder': 'Lesson reminders', 'event.payment_received': 'Payment received',
  'event.refund': 'Refunds', 'event.payout': 'Payouts', 'event.review_received': 'New reviews', 'event.tutor_verified': 'Tutor verified',
  'event.credits_low': 'Few credits left', 'event.package_expiring': 'Package expiring', 'event.digest': 'Digest',
  'event.calendar_feed_failing': 'Your calendar cannot be read',
  'event.google_disconnected': 'Google Calendar disconnected',
  'event.meet_failed': 'No Google Meet link for a lesson',
  'event.subscription_failed': 'A subscription payment failed',
  'event.message_unread': 'Unread messages', 'event.thread_reported': 'Conversations reported (staff)',
  'event.sequence': 'Follow-up messages from the school',
  'thread.reported': 'reported', 'thread.closed': 'closed',
  'feed.pending': 'not read yet', 'feed.ok': 'working', 'feed.failing': 'failing',
  'event.report_missing': 'Lesson reports to write', 'event.homework_done': 'Homework done',
  'ledger.bought': 'bought', 'ledger.spent': 'spent on a lesson', 'ledger.returned': 'returned', 'ledger.forfeited': 'forfeited (late cancel)',
  'ledger.expired': 'expired', 'ledger.refunded': 'refunded', 'ledger.moved': 'moved with a lesson',
  // languages a tutor may teach in (migrations Languages); others fall back to Intl.DisplayNames
  'language.it': 'Italian', 'language.en': 'English', 'language.es': 'Spanish', 'language.fr': 'French', 'language.de': 'German', 'language.pt': 'Portuguese', 'language.nl': 'Dutch', 'language.pl': 'Polish', 'language.ro': 'Romanian', 'language.el': 'Greek', 'language.sv': 'Swedish', 'language.da': 'Danish', 'language.fi': 'Finnish', 'language.no': 'Norwegian', 'language.cs': 'Czech', 'language.hu': 'Hungarian', 'language.uk': 'Ukrainian', 'language.ru': 'Russian', 'language.tr': 'Turkish', 'language.ar': 'Arabic', 'language.he': 'Hebrew', 'language.hi': 'Hindi', 'language.bn': 'Bengali', 'language.ur': 'Urdu', 'language.fa': 'Persian', 'language.zh': 'Chinese', 'language.ja': 'Japanese', 'language.ko': 'Korean', 'language.vi': 'Vietnamese', 'language.th': 'Thai', 'language.id': 'Indonesian', 'language.ms': 'Malay', 'language.sw': 'Swahili',
  'weekday.1': 'Monday', 'weekday.2': 'Tuesday', 'weekday.3': 'Wednesday', 'weekday.4': 'Thursday', 'weekday.5': 'Friday', 'weekday.6': 'Saturday', 'weekday.7': 'Sunday',
};

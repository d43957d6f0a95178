// Dates, times, zones and money. Every time shown carries its zone label;
// times follow the person's locale (12-hour for en-US, 24-hour for it).
import { locale, t } from './i18n.js';
import { currentUser } from './pb.js';

export function browserZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

/** The viewer's zone: the signed-in user's timezone, else the browser's. */
export function viewerZone() {
  const u = currentUser();
  return (u && u.timezone) || browserZone();
}

/** Parses RFC 3339 or PocketBase's "2027-03-29 07:00:00.000Z". */
export function parseDate(v) {
  if (!v) return null;
  if (v instanceof Date) return v;
  const d = new Date(String(v).replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d;
}

const fmtCache = new Map();
function fmt(zone, opts) {
  const key = locale() + zone + JSON.stringify(opts);
  let f = fmtCache.get(key);
  if (!f) { f = new Intl.DateTimeFormat(locale(), { timeZone: zone, ...opts }); fmtCache.set(key, f); }
  return f;
}

const DAY = { weekday: 'short', day: 'numeric', month: 'short' };
const TIME24 = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const TIME12 = { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' };

const cycles = new Map();
/** Whether the person's locale writes 12-hour times ("3:30 PM"). */
export function twelveHour() {
  const loc = locale();
  if (!cycles.has(loc)) {
    let h12 = false;
    try { h12 = ['h11', 'h12'].includes(new Intl.DateTimeFormat(loc, { hour: 'numeric' }).resolvedOptions().hourCycle); } catch { /* 24-hour */ }
    cycles.set(loc, h12);
  }
  return cycles.get(loc);
}
function timeOpts() { return twelveHour() ? TIME12 : TIME24; }

/** "Tue 1 Dec, 15:00 (Europe/Rome)" */
export function dateTime(v, zone = viewerZone(), { label = true, year = false } = {}) {
  const d = parseDate(v);
  if (!d) return '';
  const s = `${fmt(zone, { ...DAY, ...(year ? { year: 'numeric' } : {}) }).format(d)}, ${fmt(zone, timeOpts()).format(d)}`;
  return label ? `${s} (${zone})` : s;
}

/** "Tue 1 Dec, 15:00–16:00 (Europe/Rome)" */
export function timeRange(start, end, zone = viewerZone()) {
  const a = parseDate(start), b = parseDate(end);
  if (!a || !b) return '';
  const sameDay = dayKey(a, zone) === dayKey(b, zone);
  const tail = sameDay ? fmt(zone, timeOpts()).format(b) : dateTime(b, zone, { label: false });
  return `${dateTime(a, zone, { label: false })}–${tail} (${zone})`;
}

export function time(v, zone = viewerZone()) { const d = parseDate(v); return d ? fmt(zone, timeOpts()).format(d) : ''; }
export function dayLabel(v, zone = viewerZone()) { const d = parseDate(v); return d ? fmt(zone, DAY).format(d) : ''; }
export function longDate(v, zone = viewerZone()) {
  const d = parseDate(v); return d ? fmt(zone, { day: 'numeric', month: 'long', year: 'numeric' }).format(d) : '';
}

/** A wall-clock "HH:MM" (availability windows) in the person's locale: "9:30 AM" or "09:30". */
export function clock(hhmm) {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm || '');
  if (!m || !twelveHour()) return hhmm;
  return fmt('UTC', TIME12).format(new Date(Date.UTC(2000, 0, 1, Number(m[1]) % 24, Number(m[2]))));
}

/** Wall-clock parts of instant d in zone. */
export function parts(d, zone) {
  const p = {};
  for (const x of fmt(zone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', weekday: 'short' }).formatToParts(d)) p[x.type] = x.value;
  const wd = new Date(Date.UTC(+p.year, +p.month - 1, +p.day)).getUTCDay();
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour % 24, minute: +p.minute, second: +p.second, weekday: wd === 0 ? 7 : wd };
}

/** "YYYY-MM-DD" of instant d in zone. */
export function dayKey(d, zone) {
  const p = parts(parseDate(d), zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The UTC instant of a wall-clock time in zone (gaps move forward). */
export function zonedToUtc(year, month, day, hour, minute, zone) {
  const want = Date.UTC(year, month - 1, day, hour, minute);
  let guess = want;
  for (let i = 0; i < 3; i++) {
    const p = parts(new Date(guess), zone);
    const got = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    if (got === want) break;
    guess += want - got;
  }
  return new Date(guess);
}

/** Monday 00:00 (in zone) of the week holding d, as an instant; plus offset weeks. */
export function weekStart(d, zone, offsetWeeks = 0) {
  const p = parts(d, zone);
  const base = new Date(Date.UTC(p.year, p.month - 1, p.day - (p.weekday - 1) + offsetWeeks * 7));
  return zonedToUtc(base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), 0, 0, zone);
}

/** The seven local days of the week starting at instant monday, as {key, start, end}. */
export function weekDays(monday, zone) {
  const p = parts(monday, zone);
  const days = [];
  for (let i = 0; i < 7; i++) {
    const a = new Date(Date.UTC(p.year, p.month - 1, p.day + i));
    const b = new Date(Date.UTC(p.year, p.month - 1, p.day + i + 1));
    const start = zonedToUtc(a.getUTCFullYear(), a.getUTCMonth() + 1, a.getUTCDate(), 0, 0, zone);
    const end = zonedToUtc(b.getUTCFullYear(), b.getUTCMonth() + 1, b.getUTCDate(), 0, 0, zone);
    days.push({ key: dayKey(start, zone), start, end });
  }
  return days;
}

/** "2027-03-01T09:30" for a datetime-local input, in zone. */
export function toLocalInput(v, zone) {
  const d = parseDate(v); if (!d) return '';
  const p = parts(d, zone); const z = (n) => String(n).padStart(2, '0');
  return `${p.year}-${z(p.month)}-${z(p.day)}T${z(p.hour)}:${z(p.minute)}`;
}

/** The instant of a datetime-local input value read in zone. */
export function fromLocalInput(s, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s || '');
  return m ? zonedToUtc(+m[1], +m[2], +m[3], +m[4], +m[5], zone) : null;
}

export function isoDate(d) { return d.toISOString().slice(0, 10); }

// Intl formatters are costly to build (a phone spends milliseconds on
// each): built once per locale and currency.
const numberFormats = new Map();
function currencyFormat(loc, currency) {
  const key = `${loc} ${currency}`;
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(loc, { style: 'currency', currency }));
  return numberFormats.get(key);
}

function minorDigits(currency) {
  try { return currencyFormat(locale(), currency).resolvedOptions().maximumFractionDigits; } catch { return 2; }
}

/** Money from integer minor units: money(2500, 'EUR') → "€25.00". */
export function money(cents, currency = 'EUR') {
  const n = Number(cents || 0) / 10 ** minorDigits(currency || 'EUR');
  try { return currencyFormat(locale(), currency || 'EUR').format(n); } catch { return `${n.toFixed(2)} ${currency}`; }
}

/** Minor units from a decimal typed by a person ("25,50" → 2550). */
export function toCents(text, currency = 'EUR') {
  const n = Number(String(text).trim().replace(',', '.'));
  if (!Number.isFinite(n)) return NaN;
  return Math.round(n * 10 ** minorDigits(currency));
}

export function fromCents(cents, currency = 'EUR') {
  const d = minorDigits(currency);
  return (Number(cents || 0) / 10 ** d).toFixed(d);
}

export function stars(r) {
  const n = Math.round(Number(r) || 0);
  return '★'.repeat(n) + '☆'.repeat(Math.max(0, 5 - n));
}

/** Every IANA zone the browser knows, for pickers. */
export function allZones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return [browserZone(), 'UTC', 'Europe/Rome', 'Europe/London', 'America/New_York', 'Asia/Kolkata']; }
}

// A lesson's payment or invoice line as the server writes it: its time in
// the student's zone ("... on 2026-12-07 07:30 (America/Los_Angeles)"), or
// in UTC on older records ("... on 2026-12-07 15:30 UTC").
const LESSON_LINE = /^Lesson with (.+) on (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) (?:UTC|\(([A-Za-z_+\-/0-9]+)\))$/;

/** A payment or invoice line in the viewer's language, zone and locale; other lines as written. */
export function lineText(description, zone = viewerZone()) {
  const m = LESSON_LINE.exec(description || '');
  if (!m) return description || '';
  let at;
  try { at = zonedToUtc(+m[2], +m[3], +m[4], +m[5], +m[6], m[7] || 'UTC'); } catch { return description; }
  return t('Lesson with {name} on {time}', { name: m[1], time: dateTime(at, zone, { year: true }) });
}

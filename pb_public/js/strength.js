// Password strength as the person types. The estimator is zxcvbn 4.4.2
// (vendor/zxcvbn.mjs, loaded only where a new password is chosen), the one
// the server runs as its Go port, with the same context words and the same
// extra rule (internal/password/strength.go), so the meter and the server
// agree on what is refused.
import { h, replace } from './dom.js';
import { t } from './i18n.js';

const MIN_SCORE = 3;
const APP_WORD = 'tutorbase';
const MIN_WORD = 3;

let estimator = null;
function zxcvbn() {
  if (!estimator) estimator = import('../vendor/zxcvbn.mjs').then((m) => m.default).catch((e) => { estimator = null; throw e; });
  return estimator;
}

function addWords(dst, s) {
  const words = String(s || '').toLowerCase().split(/[\s.\-+_@]+/u).filter(Boolean);
  for (const w of [...words, words.join('')]) if ([...w].length >= MIN_WORD && !dst.includes(w)) dst.push(w);
  return dst;
}

/** The words an attacker knows of an account, as the server builds them. */
export function contextWords(name, email, schoolName) {
  const [local, domain = ''] = String(email || '').split('@');
  const personal = addWords(addWords(addWords([], name), local), domain);
  const school = addWords([], schoolName);
  if (!school.includes(APP_WORD)) school.push(APP_WORD);
  return { personal, school };
}

function reasonOf(m, ctx) {
  switch (m.pattern) {
    case 'dictionary':
      if (m.dictionary_name === 'user_inputs') return ctx.personal.includes(m.matched_word) ? 'personal' : 'school';
      if (m.dictionary_name === 'passwords') return 'common';
      if (['female_names', 'male_names', 'surnames'].includes(m.dictionary_name)) return 'names';
      return 'words';
    case 'spatial': return 'keyboard';
    case 'repeat': return 'repeat';
    case 'sequence': return 'sequence';
    case 'date': case 'regex': return 'dates';
    default: return '';
  }
}

function onlyContext(pw, ctx) {
  const words = [...ctx.personal, ...ctx.school].sort((a, b) => b.length - a.length);
  let rest = pw.toLowerCase();
  let found = false;
  for (const w of words) if (rest.includes(w)) { rest = rest.split(w).join(' '); found = true; }
  return found && [...rest].filter((c) => /\p{L}/u.test(c)).length < MIN_WORD;
}

/** {score, weak, reasons} of pw for context ctx ({personal, school}). */
export async function estimate(pw, ctx) {
  const r = (await zxcvbn())(pw, [...ctx.personal, ...ctx.school]);
  const reasons = [];
  for (const m of r.sequence) {
    const why = reasonOf(m, ctx);
    if (why && !reasons.includes(why)) reasons.push(why);
  }
  return { score: r.score, weak: r.score < MIN_SCORE || onlyContext(pw, ctx), reasons };
}

function reasonText(r) {
  switch (r) {
    case 'personal': return t('your name or email');
    case 'school': return t("the school's name");
    case 'common': return t('a common password');
    case 'words': return t('common words');
    case 'names': return t('common names');
    case 'keyboard': return t('a keyboard pattern');
    case 'repeat': return t('a repeated sequence');
    case 'sequence': return t('a run like abc or 123');
    case 'dates': return t('a date or a year');
    default: return '';
  }
}

/** Why a password is easy to guess, as the server says it. */
export function explain(reasons) {
  const parts = reasons.map(reasonText).filter(Boolean);
  if (!parts.length) return t('This password is too easy to guess. Add a few more words: an unusual phrase is best.');
  const list = parts.length === 1 ? parts[0] : t('{list} and {last}', { list: parts.slice(0, -1).join(', '), last: parts[parts.length - 1] });
  return t('This password is too easy to guess: it contains {list}. Add a few more words: an unusual phrase is best.', { list });
}

const LABELS = () => [t('Very easy to guess'), t('Very easy to guess'), t('Easy to guess'), t('Good'), t('Strong')];

/**
 * A live strength meter for the password input; context() returns
 * {name, email, school} as they stand. Put it right after the field.
 */
export function strengthMeter(input, context) {
  const meter = h('meter', { min: 0, max: 4, low: 2.5, high: 3.5, optimum: 4, value: 0, 'aria-hidden': 'true' });
  const label = h('p', { class: 'strength-label m0' });
  const why = h('p', { class: 'strength-why small m0' });
  const box = h('div', { class: 'strength', hidden: true, 'aria-live': 'polite' }, meter, label, why);
  let seq = 0;
  let timer = null;
  async function update() {
    const pw = input.value;
    const mine = ++seq;
    if (!pw) { box.hidden = true; return; }
    let res;
    try {
      const c = await context();
      res = await estimate(pw, contextWords(c.name, c.email, c.school));
    } catch (e) { console.warn(e); return; }
    if (mine !== seq) return;
    box.hidden = false;
    const score = res.weak ? Math.min(res.score, MIN_SCORE - 1) : res.score;
    meter.value = score;
    box.dataset.score = String(score);
    box.dataset.weak = String(res.weak);
    replace(label, t('Strength: {label}', { label: LABELS()[score] }));
    replace(why, res.weak ? explain(res.reasons) : '');
  }
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 120); });
  return box;
}

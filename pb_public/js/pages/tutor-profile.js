// Tutor: the public profile and booking settings.
import { pb, myTutor, subjects, subjectLabel } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { toCents, fromCents } from '../format.js';
import { pageTitle, toast } from '../ui.js';
import { field, checkGroup, checkedValues, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { languageName } from './directory.js';
import { avatarEditor } from '../avatar-edit.js';

// migrations/1795632200_create_people.go Languages
const LANGUAGES = ['it', 'en', 'es', 'fr', 'de', 'pt', 'nl', 'pl', 'ro', 'el', 'sv', 'da', 'fi', 'no', 'cs', 'hu', 'uk', 'ru', 'tr', 'ar', 'he', 'hi', 'bn', 'ur', 'fa', 'zh', 'ja', 'ko', 'vi', 'th', 'id', 'ms', 'sw'];
const LENGTHS = [15, 20, 30, 45, 60, 75, 90, 120, 150, 180];

export default async function tutorProfile(ctx) {
  ctx.setTitle(t('Profile'));
  const tutor = await myTutor(true);
  const subs = await subjects();
  const currency = tutor.currency || 'EUR';
  const lengths = Array.isArray(tutor.lesson_minutes) ? tutor.lesson_minutes : [];
  const status = tutor.verified && tutor.status === 'active'
    ? h('p', { class: 'notice success' }, t('Your profile is verified and listed in the directory.'), ' ', h('a', { href: `/tutors/${tutor.id}` }, t('See your public profile')))
    : tutor.status === 'suspended' ? h('p', { class: 'notice danger' }, t('Your profile is suspended. Contact the school.'))
      : h('p', { class: 'notice warning' }, t('The school checks every new tutor. Fill in your profile and add your weekly hours; you will be notified when you are verified.'));
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    field({ name: 'headline', label: t('Headline'), value: tutor.headline, maxlength: 160, hint: t('One line students see in the directory.') }),
    field({ name: 'bio', label: t('About you'), type: 'textarea', value: tutor.bio, rows: 6, maxlength: 5000 }),
    checkGroup({ name: 'subjects', legend: t('Subjects'), options: subs.map((s) => [s.id, subjectLabel(s)]), values: tutor.subjects || [] }),
    checkGroup({ name: 'languages', legend: t('Languages you teach in'), options: LANGUAGES.map((l) => [l, languageName(l)]), values: tutor.languages || [] }),
    checkGroup({ name: 'lesson_minutes', legend: t('Lesson lengths you offer (minutes)'), options: [...new Set([...LENGTHS, ...lengths])].sort((a, b) => a - b).map((m) => [String(m), String(m)]), values: lengths.map(String) }),
    h('div', { class: 'grid-form' },
      field({ name: 'hourly_rate', label: t('Price per hour ({currency})', { currency }), inputmode: 'decimal', value: fromCents(tutor.hourly_rate, currency), hint: t('For lessons booked one at a time.') }),
      field({ name: 'buffer_minutes', label: t('Break between lessons (minutes)'), type: 'number', min: 0, max: 240, value: tutor.buffer_minutes ?? 0 }),
      field({ name: 'min_notice_minutes', label: t('Minimum notice (minutes)'), type: 'number', min: 0, max: 43200, value: tutor.min_notice_minutes ?? 120 }),
      field({ name: 'max_advance_days', label: t('Bookable up to (days ahead; 0 = no limit)'), type: 'number', min: 0, max: 730, value: tutor.max_advance_days ?? 90 })),
    field({ name: 'auto_confirm', label: t('Confirm new bookings automatically'), type: 'checkbox', value: tutor.auto_confirm, hint: t('Off: you confirm each request under Requests.') }),
    field({ name: 'google_meet', label: t('Use Google Meet for my lessons'), type: 'checkbox', value: tutor.google_meet, hint: t('Needs Google Calendar connected (Account → Google): each lesson gets a Meet link in your calendar. Your own video link below wins.') }),
    field({ name: 'meeting_url', label: t('Your own video link (optional)'), type: 'url', value: tutor.meeting_url, hint: t('Empty: each lesson gets its own Jitsi Meet room.') }),
    field({ name: 'iban', label: t('IBAN for payouts'), value: tutor.iban || '', maxlength: 34, autocomplete: 'off', hint: t('Only you and the school see it.') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Save profile'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const fd = new FormData(form);
      const rate = toCents(fd.get('hourly_rate') || '0', currency);
      const data = {
        headline: fd.get('headline'), bio: fd.get('bio'),
        subjects: checkedValues(form, 'subjects'), languages: checkedValues(form, 'languages'),
        lesson_minutes: checkedValues(form, 'lesson_minutes').map(Number),
        hourly_rate: Number.isFinite(rate) ? rate : fd.get('hourly_rate'),
        buffer_minutes: Number(fd.get('buffer_minutes') || 0), min_notice_minutes: Number(fd.get('min_notice_minutes') || 0), max_advance_days: Number(fd.get('max_advance_days') || 0),
        auto_confirm: form.elements.auto_confirm.checked, google_meet: form.elements.google_meet.checked, meeting_url: fd.get('meeting_url').trim(), iban: fd.get('iban').replace(/\s+/g, '').toUpperCase(),
      };
      try { await pb.collection('tutors').update(tutor.id, data); clearErrors(form); toast(t('Profile saved.')); myTutor(true); } catch (err) { showErrors(form, err); }
    });
  });
  const photo = avatarEditor(tutor, () => { myTutor(true); document.dispatchEvent(new CustomEvent('tutorbase:profile')); });
  replace(ctx.root, pageTitle(t('Profile')), status,
    h('section', { 'aria-labelledby': 'photo-h' }, h('h2', { id: 'photo-h' }, t('Photo')),
      h('p', { class: 'muted' }, t('Your photo is shown in the directory, on your profile and next to your lessons.')), photo),
    h('section', { 'aria-labelledby': 'details-h' }, h('h2', { id: 'details-h' }, t('Profile and booking settings')),
      h('p', { class: 'muted' }, t('Your name and time zone are in your account settings.'), ' ', h('a', { href: '/settings' }, t('Account'))), form));
}

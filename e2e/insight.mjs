// Browser tests of the explainable assistance (docs/insight.md): the
// "Find me a tutor" wizard and the help assistant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authFor, api, demo, superuserToken } from './lib.mjs';
import { S, open, clean, newStudent, tutorId } from './suite.mjs';

test('the wizard finds a tutor, says why, and books a first lesson', async () => {
  const s = await open({ auth: await newStudent('Wanda Wizard') });
  await s.page.goto('/'); // the directory offers the wizard
  await s.page.getByRole('link', { name: 'Find me a tutor' }).click();
  await s.page.getByRole('heading', { name: 'Find me a tutor', level: 1 }).waitFor();
  await s.page.getByLabel('Subject', { exact: true }).selectOption({ label: 'Physics' });
  await s.page.getByLabel('Your level').fill('liceo scientifico');
  await s.page.getByLabel('Your goals').fill('Pass the physics exam');
  await s.page.getByRole('button', { name: 'Show my tutors' }).click();
  const first = s.page.locator('#matches .tutor-card').first();
  await first.getByText('Teaches Physics').waitFor();
  await first.locator('.reasons li[data-code="level"]').waitFor();
  await first.locator('.reasons li[data-code="goals"]').waitFor();
  assert.match(await first.locator('.match-why').textContent(), /Why: \d+% fit/);
  const tutorName = (await first.locator('h3').textContent()).trim();
  await first.getByRole('button', { name: /^Book a first lesson on / }).click();
  const dialog = s.page.getByRole('dialog', { name: 'Book a lesson' });
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await dialog.getByRole('heading', { name: 'Lesson booked' }).waitFor();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await s.page.goto('/lessons');
  await s.page.getByText(tutorName).first().waitFor();
  clean(s);
});

test('a student asks the assistant for their next lesson and sees where the answer comes from', async () => {
  const giulia = await tutorId('Giulia Rossi');
  const auth = await newStudent('Hector Helpme');
  const slots = await api(S.server.url, `/api/tutors/${giulia}/slots?from=${new Date(Date.now() + 3 * 86400000).toISOString()}&to=${new Date(Date.now() + 10 * 86400000).toISOString()}&minutes=60`);
  const slot = slots.slots[0];
  const lesson = await api(S.server.url, '/api/collections/bookings/records', { method: 'POST', token: auth.token, body: { tutor: giulia, start: slot.start, end: slot.end } });
  const s = await open({ auth });
  await s.page.goto('/lessons');
  await s.page.getByRole('link', { name: 'Help', exact: true }).click();
  await s.page.getByRole('heading', { name: 'Help', level: 1 }).waitFor();
  await s.page.getByLabel('Your question').fill('When is my next lesson?');
  await s.page.getByRole('button', { name: 'Ask', exact: true }).click();
  const answer = s.page.locator('#answer .assistant-answer');
  await answer.filter({ hasText: /^Your next lesson is with Giulia Rossi, \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}–\d{2}:\d{2} \(Europe\/Rome\)\.$/ }).waitFor();
  await s.page.locator('#answer .sources').getByRole('link', { name: 'Your lessons' }).click();
  await s.page.waitForURL(`**/lessons/${lesson.id}`);

  // a question nobody answered reaches staff, who turn it into an FAQ entry that answers the next asker
  await s.page.goto('/help');
  await s.page.getByLabel('Your question').fill('Is there parking for bicycles?');
  await s.page.getByRole('button', { name: 'Ask', exact: true }).click();
  await s.page.locator('#answer').getByText('The school will see your question and add an answer.').waitFor();
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await admin.page.goto('/admin/questions');
  const card = admin.page.locator('li.card').filter({ hasText: 'Is there parking for bicycles?' });
  await card.getByLabel('Answer').fill('Yes: a rack by the entrance, free for students.');
  await card.getByLabel('Language').selectOption('en');
  await card.getByRole('button', { name: 'Save as FAQ entry' }).click();
  await admin.page.locator('dl.faq').getByText('Is there parking for bicycles? (en)').waitFor();
  await card.waitFor({ state: 'detached' });
  await s.page.getByLabel('Your question').fill('parking for bicycles?');
  await s.page.getByRole('button', { name: 'Ask', exact: true }).click();
  await s.page.locator('#answer .assistant-answer').filter({ hasText: 'Yes: a rack by the entrance, free for students.' }).waitFor();
  clean(s, admin);
});

test('staff open the list of students at risk, see why, and message one and offer a coupon', async () => {
  // the row the nightly job (tutorbase_churn_scores, TestChurnRisk) writes for a student drifting away
  const rita = await newStudent('Rita Risky');
  const su = await superuserToken(S.server.url);
  await api(S.server.url, '/api/collections/churn_scores/records', { method: 'POST', token: su, body: {
    student: rita.record.id, score: 85, computed: new Date().toISOString(),
    reasons: [
      { code: 'gap', points: 60, values: { days: 30, usual_days: 7 } },
      { code: 'cancellations', points: 10, values: { dropped: 2, lessons: 4, days: 90 } },
      { code: 'unread', points: 10, values: { messages: 2, days: 8 } },
      { code: 'credits', points: 5, values: { left: 0, bought: 10 } },
    ],
  } });
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await admin.page.goto('/admin/reports');
  await admin.page.getByRole('link', { name: 'Students at risk' }).click();
  await admin.page.getByRole('heading', { name: 'Students at risk', level: 1 }).waitFor();
  const card = admin.page.locator('#at-risk li.card').filter({ hasText: 'Rita Risky' });
  await card.getByText('Risk 85/100').waitFor();
  assert.deepEqual(await card.locator('.reasons > li').evaluateAll((els) => els.map((e) => [e.dataset.code, e.textContent])), [
    ['gap', 'No lesson for 30 days; usually every 7 (+60)'],
    ['cancellations', 'Cancelled or missed 2 of 4 lessons in the last 90 days (+10)'],
    ['unread', '2 unread messages, the oldest 8 days old (+10)'],
    ['credits', 'No credits left (10 bought) and nothing booked (+5)'],
  ]);

  await card.getByRole('button', { name: 'Offer a coupon' }).click();
  const offered = card.getByText(/^Coupon BACK-[A-Z0-9]{8} offered: 20% off until /);
  await offered.waitFor();
  const code = (await offered.textContent()).match(/BACK-[A-Z0-9]{8}/)[0];
  await card.getByRole('button', { name: 'Offer a coupon' }).waitFor({ state: 'hidden' });
  const coupons = await api(S.server.url, `/api/collections/coupons/records?filter=${encodeURIComponent(`code = "${code}"`)}`, { token: su });
  assert.equal(coupons.items.length, 1);
  assert.equal(coupons.items[0].percent, 20);
  assert.equal(coupons.items[0].max_uses, 1);
  assert.deepEqual(coupons.items[0].people, [rita.record.id], 'for Rita only');

  // Message opens the staff thread with Rita, where the coupon was sent
  await card.getByRole('button', { name: 'Message', exact: true }).click();
  await admin.page.waitForURL(/\/messages\/[a-z0-9]+$/);
  await admin.page.getByText(new RegExp(`We would love to see you again: 20% off your next purchase with the code ${code}, until `)).waitFor();
  // and Rita reads it in her own messages
  const s = await open({ auth: rita });
  await s.page.goto('/messages');
  await s.page.getByText('A coupon for your next lessons').first().waitFor();
  clean(s);
  // the Coupons page says whom it was given to
  await admin.page.goto('/admin/coupons');
  await admin.page.locator('tr').filter({ hasText: code }).getByText('only for Rita Risky').waitFor();
  clean(admin);
});

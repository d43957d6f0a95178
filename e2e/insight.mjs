// Browser tests of the explainable assistance (docs/insight.md): the
// "Find me a tutor" wizard and the help assistant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authFor, api, demo } from './lib.mjs';
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

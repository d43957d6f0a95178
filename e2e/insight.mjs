// Browser tests of the explainable assistance (docs/insight.md): the
// "Find me a tutor" wizard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, clean, newStudent } from './suite.mjs';

test('the wizard finds a tutor, says why, and books a first lesson', async () => {
  const s = await open({ auth: await newStudent('Wanda Wizard') });
  await s.page.goto('/lessons');
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

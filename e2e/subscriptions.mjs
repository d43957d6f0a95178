// Plans and subscriptions (issue 22): subscribe, use a credit, cancel at
// period end. The test server takes payments by hand, as a school without
// Stripe does: staff record the first period's payment (the renew route),
// on the Payments page, the same records a paid Stripe invoice makes (hooks/subscriptions_stripe_test.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo } from './lib.mjs';
import { S, open, clean, expectRefused, newStudent, nextWeekSlots, lastFreeFor, stamp } from './suite.mjs';

test('staff put a plan on sale; a student subscribes, books with one of its credits and cancels at period end; staff take the plan off sale', async () => {
  const title = `Three a month ${stamp}`;
  // staff write the plan on the Plans page (a bad price is refused by its field)
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await admin.page.goto('/admin/payments');
  await admin.page.getByRole('link', { name: 'Plans', exact: true }).click();
  await admin.page.getByRole('heading', { name: 'Plans', level: 1 }).waitFor();
  const form = admin.page.locator('form').filter({ has: admin.page.getByRole('heading', { name: 'New plan' }) });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Lesson credits each period').fill('3');
  await form.getByLabel('Unused credits that roll over').fill('1');
  await form.getByLabel('Days of lessons after a failed payment').fill('3');
  await form.getByRole('button', { name: 'Create plan' }).click();
  await form.locator('[data-field="price"] .field-error').filter({ hasText: /\S/ }).waitFor();
  expectRefused(admin);
  await form.getByLabel(/^Price each period/).fill('99');
  await form.getByRole('button', { name: 'Create plan' }).click();
  await admin.page.getByText('Plan created.').waitFor();
  const planRow = admin.page.locator('tr').filter({ hasText: title });
  await planRow.getByText('€99.00 / month').waitFor();
  assert.equal(await planRow.locator('td.num').textContent(), '0', 'no subscription yet');

  const auth = await newStudent('Plan Subscriber');
  const s = await open({ auth });
  await s.page.goto('/plans');
  const card = s.page.locator('.card.plan').filter({ hasText: title });
  await card.getByText('3 lesson credits per month').waitFor();
  await card.getByRole('button', { name: 'Subscribe' }).click();
  await s.page.getByText('Your subscription starts when the school records your first payment.').waitFor();
  await s.page.getByRole('link', { name: 'My subscription' }).click();
  await s.page.getByText('Waiting for your first payment.').waitFor();

  // the school records the first month's payment
  const subs = await api(S.server.url, '/api/collections/subscriptions/records', { token: auth.token });
  assert.equal(subs.items.length, 1);
  await admin.page.goto('/admin/payments');
  const row = admin.page.locator(`tr[data-id="${subs.items[0].id}"]`);
  await row.getByRole('button', { name: 'Record the first period' }).click();
  const rec = admin.page.getByRole('dialog', { name: 'Record a period' });
  await rec.getByLabel('Reference').fill('E2E');
  await rec.getByRole('button', { name: 'Mark as paid' }).click();
  await row.getByRole('button', { name: 'Record the next period' }).waitFor();
  await s.page.reload();
  await s.page.locator('.credits-left').filter({ hasText: '3 credits left' }).waitFor();
  await s.page.getByText(/^Renews on /).waitFor();

  // a credit books a lesson
  const found = await api(S.server.url, '/api/search/tutors?perPage=1');
  await s.page.goto(`/tutors/${found.items[0].id}`);
  const slots = await nextWeekSlots(s.page);
  await (await lastFreeFor(s.page, slots, S.server.url, auth.token)).click();
  const dialog = s.page.getByRole('dialog', { name: 'Book a lesson' });
  const payWith = dialog.getByLabel('Pay with');
  await payWith.locator('option', { hasText: 'Subscription: 3 credits left' }).waitFor({ state: 'attached' });
  assert.match(await payWith.locator('option:checked').textContent(), /^Subscription: 3 credits left$/);
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await dialog.getByRole('heading', { name: 'Lesson booked' }).waitFor();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

  await s.page.goto('/subscription');
  await s.page.locator('.credits-left').filter({ hasText: '2 credits left' }).waitFor();
  await s.page.getByRole('button', { name: 'Cancel at period end' }).click();
  await s.page.getByRole('dialog', { name: 'Cancel subscription' }).getByRole('button', { name: 'Confirm' }).click();
  await s.page.getByText(/^Ends on .+: nothing more is charged\.$/).waitFor();
  assert.equal(await s.page.getByRole('button', { name: 'Cancel at period end' }).count(), 0);
  const after = await api(S.server.url, `/api/collections/subscriptions/records/${subs.items[0].id}`, { token: auth.token });
  assert.equal(after.cancel_at_period_end, true);
  assert.equal(after.status, 'active');

  // staff take the plan off sale: payers no longer see it, her subscription goes on
  await admin.page.goto('/admin/plans');
  assert.equal(await planRow.locator('td.num').textContent(), '1', 'her running subscription');
  await planRow.getByRole('button', { name: 'Take off sale' }).click();
  await admin.page.getByText('The plan is off sale.').waitFor();
  await planRow.getByRole('button', { name: 'Put on sale' }).waitFor();
  await s.page.goto('/plans');
  await s.page.locator('main h1').waitFor();
  await s.page.locator('.card.plan, .empty').first().waitFor();
  assert.equal(await s.page.locator('.card.plan').filter({ hasText: title }).count(), 0, 'off sale');
  await s.page.goto('/subscription');
  await s.page.locator('.credits-left').filter({ hasText: '2 credits left' }).waitFor();
  clean(s, admin);
});

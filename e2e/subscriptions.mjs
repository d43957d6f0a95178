// Plans and subscriptions (issue 22): subscribe, use a credit, cancel at
// period end. The test server takes payments by hand, as a school without
// Stripe does: staff record the first period's payment (the renew route),
// on the Payments page, the same records a paid Stripe invoice makes (hooks/subscriptions_stripe_test.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo, superuserToken } from './lib.mjs';
import { S, open, clean, newStudent, nextWeekSlots, lastFreeFor, stamp } from './suite.mjs';

test('a student subscribes to a plan, books with one of its credits and cancels at period end', async () => {
  const su = await superuserToken(S.server.url);
  const title = `Three a month ${stamp}`;
  await api(S.server.url, '/api/collections/plans/records', { method: 'POST', token: su, body: {
    title, credits: 3, price: 9900, currency: 'EUR', interval: 'month', rollover_max: 1, grace_days: 3, active: true,
  } });
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
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
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
  clean(s, admin);
});

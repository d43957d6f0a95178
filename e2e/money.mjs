// Money, second round (issue 22): a promotion code at checkout.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, authFor, demo, superuserToken } from './lib.mjs';
import { S, open, clean, expectRefused, newStudent, stamp } from './suite.mjs';

test('a student applies a promotion code at checkout: a wrong one is refused by its field, a good one shows its discount', async () => {
  const su = await superuserToken(S.server.url);
  const code = `E2E-${stamp}`.toUpperCase();
  await api(S.server.url, '/api/collections/coupons/records', { method: 'POST', token: su, body: { code, percent: 10, kinds: ['package'], active: true } });
  const found = await api(S.server.url, '/api/search/packages?perPage=1&sort=price');
  const pkg = found.items[0];
  assert.ok(pkg, 'the demo sells packages');
  const auth = await newStudent('Coupon Buyer');
  const s = await open({ auth });
  await s.page.goto(`/tutors/${pkg.tutor}`);
  const card = s.page.locator('.package-card').filter({ hasText: pkg.title }).first();
  await card.getByRole('button', { name: 'Buy' }).click();
  const dialog = s.page.getByRole('dialog', { name: `Buy ${pkg.title}` });
  await dialog.getByLabel('Promotion code').fill('NO-SUCH-CODE');
  await dialog.getByRole('button', { name: 'Continue to payment' }).click();
  await dialog.locator('[data-field="code"] .field-error').filter({ hasText: 'This code is not valid.' }).waitFor();
  assert.equal(await dialog.getByLabel('Promotion code').getAttribute('aria-invalid'), 'true');
  expectRefused(s);

  await dialog.getByLabel('Promotion code').fill(code.toLowerCase()); // any case
  await dialog.getByRole('button', { name: 'Continue to payment' }).click();
  const off = Math.round(pkg.effective_price / 10);
  const said = await dialog.locator('.discount').textContent();
  assert.match(said, new RegExp(`^Promotion code ${code}: \\D*${(off / 100).toFixed(2).replace('.', '\\.')}\\D* off$`));
  const mine = await api(S.server.url, '/api/collections/coupon_redemptions/records', { token: auth.token });
  assert.equal(mine.items.length, 1);
  assert.equal(mine.items[0].status, 'held');
  assert.equal(mine.items[0].amount, off);
  const pay = await api(S.server.url, `/api/collections/payments/records/${mine.items[0].payment}`, { token: auth.token });
  assert.equal(pay.amount, pkg.effective_price - off);
  await dialog.getByText(/^Amount: /).waitFor();
  clean(s);
});

test('a tutor sees how their payouts reach them: in manual mode the school pays by bank transfer', async () => {
  const tu = await open({ auth: await authFor(S.server.url, demo('giulia')) });
  await tu.page.goto('/tutor/earnings');
  await tu.page.getByRole('heading', { name: 'Payout account' }).waitFor();
  await tu.page.getByText('The school pays you itself, by bank transfer.').waitFor();
  assert.equal(await tu.page.getByRole('button', { name: 'Connect with Stripe' }).count(), 0, 'nothing to connect');
  clean(tu);
});

test('a payer and a tutor download the statement of last month as a PDF', async () => {
  const s = await open({ auth: await newStudent('Statement Reader') });
  await s.page.goto('/payments');
  await s.page.getByRole('heading', { name: 'Monthly statements' }).waitFor();
  const month = await s.page.locator('.statement-picker').getByLabel('Month').inputValue();
  assert.match(month, /^\d{4}-\d{2}$/);
  let [d] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Download the statement (PDF)' }).click()]);
  assert.equal(d.suggestedFilename(), `statement-${month}.pdf`);
  assert.match((await readFile(await d.path())).subarray(0, 8).toString(), /^%PDF-/);

  const tu = await open({ auth: await authFor(S.server.url, demo('giulia')) });
  await tu.page.goto('/tutor/earnings');
  await tu.page.getByRole('heading', { name: 'Monthly statements' }).waitFor();
  [d] = await Promise.all([tu.page.waitForEvent('download'), tu.page.getByRole('button', { name: 'Download the statement (PDF)' }).click()]);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', await d.path(), '-'], { encoding: 'utf8' }); // poppler-utils (make debian-tools)
  assert.match(text, /Lessons taught/, 'a tutor gets their own statement');
  clean(s, tu);
});

test('staff create a coupon on the Coupons page, see its uses and deactivate it', async () => {
  const code = `STAFF-${stamp}`.toUpperCase();
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await admin.page.goto('/admin/coupons');
  await admin.page.getByRole('heading', { name: 'New coupon' }).waitFor();
  const form = admin.page.locator('form').filter({ hasText: 'New coupon' });
  await form.getByLabel('Code').fill(code.toLowerCase());
  await form.getByLabel('Percent off').fill('15');
  await form.getByLabel('Uses in all').fill('5');
  await form.getByLabel('Packages').check();
  await form.getByRole('button', { name: 'Create coupon' }).click();
  const row = admin.page.locator('tr').filter({ hasText: code });
  await row.getByText('15 %').waitFor();
  assert.equal((await row.locator('td.uses').textContent()).trim(), '0 / 5');

  // a student uses it at checkout: one use
  const found = await api(S.server.url, '/api/search/packages?perPage=1&sort=price');
  const auth = await newStudent('Staff Coupon Buyer');
  await api(S.server.url, '/api/purchases/checkout', { method: 'POST', token: auth.token, body: { package: found.items[0].id, code } });
  await admin.page.reload();
  await admin.page.locator('tr').filter({ hasText: code }).locator('td.uses').filter({ hasText: '1 / 5' }).waitFor();

  await admin.page.locator('tr').filter({ hasText: code }).getByRole('button', { name: 'Deactivate' }).click();
  await admin.page.locator('tr').filter({ hasText: code }).getByText('Inactive').waitFor();
  const other = await newStudent('Late Coupon Buyer');
  const res = await fetch(`${S.server.url}/api/purchases/checkout`, { method: 'POST', headers: { Authorization: other.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ package: found.items[0].id, code }) });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /coupon_unknown/);
  clean(admin);
});

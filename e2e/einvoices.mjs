// E-invoices (issue 23): staff download a month's FatturaPA files as one
// zip from the payments page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { authFor, api, demo, superuserToken } from './lib.mjs';
import { S, open, clean, withSchool } from './suite.mjs';

const schoolTax = {
  vat_id: 'IT01234567890', fiscal_code: '01234567890', tax_regime: 'RF01',
  legal_street: 'Via Roma 1', legal_postcode: '00100', legal_city: 'Roma', legal_province: 'RM',
};
const customerTax = {
  billing_fiscal_code: 'RSSMRA80A01H501U', billing_street: 'Via Verdi 3', billing_postcode: '00100', billing_city: 'Roma', billing_province: 'RM',
};

test("a customer gives their codice fiscale; staff download a month's e-invoices as a FatturaPA zip", async () => {
  const su = await superuserToken(S.server.url);
  const [inv] = (await api(S.server.url, '/api/collections/invoices/records?sort=-issued_at&perPage=1', { token: su })).items;
  assert.ok(inv, 'the demo school has invoices');
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit' })
    .format(new Date(inv.issued_at.replace(' ', 'T')));
  const details = async () => (await api(S.server.url, `/api/collections/billing_details/records?filter=${encodeURIComponent(`user = "${inv.user}"`)}`, { token: su })).items[0];
  // the customer gives their tax data on their account page (lower case and spaces are tidied)
  const user = await api(S.server.url, `/api/collections/users/records/${inv.user}`, { token: su });
  const st = await open({ auth: await authFor(S.server.url, user.email) });
  await st.page.goto('/settings');
  const form = st.page.locator('form').filter({ has: st.page.getByRole('group', { name: 'Invoice details (Italy)' }) });
  await form.getByLabel('Codice fiscale').fill('rss mra 80a01 h501u');
  await form.getByLabel('Street and number').fill(customerTax.billing_street);
  await form.getByLabel('Postcode').fill(customerTax.billing_postcode);
  await form.getByLabel('City').fill(customerTax.billing_city);
  await form.getByLabel('Province (e.g. RM)').fill('rm');
  await form.getByRole('button', { name: 'Save' }).click();
  await st.page.getByText('Saved.').waitFor();
  const saved = await details(); // the payer's own billing_details
  assert.equal(saved.billing_fiscal_code, customerTax.billing_fiscal_code);
  assert.equal(saved.billing_province, 'RM');
  clean(st);
  try {
    await withSchool(schoolTax, async () => {
      const a = await open({ auth: await authFor(S.server.url, demo('admin')) });
      await a.page.goto('/admin/payments');
      const section = a.page.locator('section').filter({ has: a.page.getByRole('heading', { name: 'E-invoices (FatturaPA)' }) });
      await section.getByLabel('Month').fill(month);
      const [d] = await Promise.all([a.page.waitForEvent('download'),
        section.getByRole('button', { name: "Download the month's e-invoices (FatturaPA zip)" }).click()]);
      assert.equal(d.suggestedFilename(), `fatturapa-${month}.zip`);
      const zip = await readFile(await d.path());
      assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a zip');
      const name = `IT01234567890_${String(inv.year % 100).padStart(2, '0')}${String(inv.seq).padStart(6, '0')}.xml`;
      assert.ok(zip.includes(Buffer.from(name)), `the zip holds ${name}`);
      clean(a);
    });
  } finally {
    await api(S.server.url, `/api/collections/billing_details/records/${saved.id}`, { method: 'DELETE', token: su });
  }
});

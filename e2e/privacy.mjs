// One's data rights in the browser (issue 24): downloading one's export,
// and asking to delete one's account, then keeping it by signing in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, superuserToken } from './lib.mjs';
import { S, open, clean, newStudent } from './suite.mjs';

const PASSWORD = 'a walk along the river at dawn';

test('a person downloads their data as one zip', async () => {
  const me = await newStudent('Dora Download');
  const s = await open({ auth: me });
  await s.page.goto('/settings');
  await s.page.getByRole('heading', { name: 'Your data' }).waitFor();
  const [d] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Download my data' }).click()]);
  assert.match(d.suggestedFilename(), /^tutorbase-export-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await readFile(await d.path());
  assert.equal(zip.subarray(0, 2).toString(), 'PK', 'a zip');
  for (const name of ['README.txt', 'profile.json', 'bookings.json', 'payments.json', 'messages.json', 'audit.json']) {
    assert.ok(zip.includes(Buffer.from(name)), `${name} is in it`);
  }
  await s.page.getByText('Your data is downloaded').waitFor();
  clean(s);
  await s.context.close();
});

test('a person asks to delete their account, and signing in again keeps it', async () => {
  const me = await newStudent('Dario Delete');
  const s = await open({ auth: me });
  await s.page.goto('/settings');
  const form = s.page.locator('#delete-account');
  await form.getByLabel('Your password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Delete my account' }).click();
  await s.page.getByRole('dialog', { name: 'Delete your account?' }).getByRole('button', { name: 'Delete my account' }).click();
  await s.page.waitForURL('**/signin');
  await s.page.getByText(/Your account will be erased on .*Sign in before then to keep it\./).waitFor();
  await assert.rejects(api(S.server.url, '/api/me/sessions', { token: me.token }), /401/, 'signed out everywhere');
  const su = await superuserToken(S.server.url);
  const asked = await api(S.server.url, `/api/collections/users/records/${me.record.id}`, { token: su });
  assert.notEqual(asked.erase_after, '', 'the erasure is scheduled');

  await s.page.getByLabel('Email').fill(me.record.email);
  await s.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await s.page.getByRole('button', { name: 'Sign in' }).click();
  await s.page.getByText('Welcome back: your account will not be deleted.').waitFor();
  const kept = await api(S.server.url, `/api/collections/users/records/${me.record.id}`, { token: su });
  assert.equal(kept.erase_after, '', 'signing in cancelled it');
  clean(s);
  await s.context.close();
});

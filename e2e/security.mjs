// Sign-in security in the browser (issue 25): where one is signed in and
// signing another device out; the authenticator app as a second factor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './lib.mjs';
import { S, open, clean, newStudent } from './suite.mjs';

const PASSWORD = 'a walk along the river at dawn';

/** The session a token names (its "sid" claim). */
function sessionOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;
}

test('a person sees where they are signed in and signs another device out', async () => {
  const me = await newStudent('Sam Sessions');
  const other = await api(S.server.url, '/api/collections/users/auth-with-password', { method: 'POST', body: { identity: me.record.email, password: PASSWORD } });
  const s = await open({ auth: me });
  await s.page.goto('/settings');
  await s.page.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
  const rows = s.page.locator('#sessions li.session');
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  await s.page.locator(`#sessions li[data-session="${sessionOf(me.token)}"]`).getByText('This device').waitFor();
  await s.page.locator(`#sessions li[data-session="${sessionOf(other.token)}"]`).getByRole('button', { name: 'Sign out' }).click();
  await s.page.getByText('Signed out on that device.').waitFor();
  await rows.nth(1).waitFor({ state: 'detached' });
  await assert.rejects(api(S.server.url, '/api/me/sessions', { token: other.token }), /401/);
  await api(S.server.url, '/api/me/sessions', { token: me.token }); // this device is still signed in
  clean(s);
});

// Sign-in security in the browser (issue 25): where one is signed in and
// signing another device out; the authenticator app as a second factor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { api, authFor, demo, emailedLink, superuserToken } from './lib.mjs';
import { S, open, clean, expectRefused, newStudent } from './suite.mjs';

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
  await s.context.close(); // no page of this test keeps talking to the server
});

test('a password reset by email may keep the other devices signed in', async () => {
  const me = await newStudent('Rita Reset');
  const other = await api(S.server.url, '/api/collections/users/auth-with-password', { method: 'POST', body: { identity: me.record.email, password: PASSWORD } });
  await api(S.server.url, '/api/collections/users/request-password-reset', { method: 'POST', body: { email: me.record.email } });
  const s = await open();
  await s.page.goto(await emailedLink(S.server.url, me.record.email, '/reset-password'));
  const fresh = 'a swim across the lake at noon';
  await s.page.getByLabel('New password', { exact: true }).fill(fresh);
  await s.page.getByLabel('Repeat the new password').fill(fresh);
  const box = s.page.getByLabel('Sign out my other devices');
  assert.equal(await box.isChecked(), true, 'signing the others out is the default');
  await box.uncheck();
  await s.page.getByRole('button', { name: 'Save the new password' }).click();
  await s.page.getByText('Your password is changed. Sign in with it now.').waitFor();
  await api(S.server.url, '/api/me/sessions', { token: other.token }); // still signed in there
  await api(S.server.url, '/api/collections/users/auth-with-password', { method: 'POST', body: { identity: me.record.email, password: fresh } });
  clean(s);
  await s.context.close();
});

/** The authenticator app's code (RFC 6238: SHA-1, 6 digits, 30 s) of a base32 secret at t. */
function totpAt(secret, t = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) key.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30000)));
  const mac = createHmac('sha1', Buffer.from(key)).update(counter).digest();
  const off = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

test('a person sets up an authenticator app and signs in with its code, then from the remembered device', async () => {
  const me = await newStudent('Tara Totp');
  const s = await open({ auth: me });
  await s.page.goto('/settings');
  await s.page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await s.page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
  const secret = (await s.page.locator('.totp-secret').textContent()).trim();
  await s.page.getByLabel('Code from the app', { exact: true }).fill(totpAt(secret));
  await s.page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await s.page.getByText('The authenticator app is on.').first().waitFor();
  assert.equal(await s.page.locator('#recovery-codes li').count(), 10);
  clean(s);

  const v = await open();
  const signInWithPassword = async () => {
    await v.page.goto('/signin');
    await v.page.getByLabel('Email').fill(me.record.email);
    await v.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await v.page.getByRole('button', { name: 'Sign in' }).click();
  };
  await signInWithPassword();
  await v.page.getByRole('heading', { name: 'Second step' }).waitFor();
  assert.equal(await v.page.getByRole('button', { name: 'Email me a code instead' }).count(), 0, 'a student with an app uses the app');
  await v.page.getByLabel('Code from your authenticator app').fill(totpAt(secret, Date.now() + 30000)); // the code used to turn it on is spent
  await v.page.getByLabel('Remember this device for 30 days').check();
  await v.page.getByRole('button', { name: 'Sign in' }).click();
  await v.page.waitForURL('**/lessons');
  await v.page.getByRole('button', { name: 'Sign out' }).click();
  await v.page.waitForURL((u) => u.pathname === '/');
  await signInWithPassword();
  await v.page.waitForURL('**/lessons'); // the remembered device skips the second step
  expectRefused(v, /status of 401/); // the first sign-in's answer: a second factor is owed
  clean(v);
  await s.context.close();
  await v.context.close();
});

test('a new staff member sets up the authenticator app before anything else', async () => {
  const su = await superuserToken(S.server.url);
  const email = `nora.new.staff.${Date.now()}@example.com`;
  const rec = await api(S.server.url, '/api/collections/users/records', { method: 'POST', token: su, body: {
    name: 'Nora New', email, password: PASSWORD, passwordConfirm: PASSWORD, role: 'admin', locale: 'en', verified: true } });
  const auth = await api(S.server.url, `/api/collections/users/impersonate/${rec.id}`, { method: 'POST', token: su, body: { duration: 3600 } });
  await assert.rejects(api(S.server.url, '/api/payouts/export.csv', { token: auth.token }), /403/);
  const s = await open({ auth });
  await s.page.goto('/admin/tutors');
  await s.page.waitForURL('**/settings#totp-h');
  await s.page.getByText('Your school requires an authenticator app for your account: set it up to continue.').waitFor();
  assert.equal(await s.page.getByRole('heading', { name: 'Profile' }).count(), 0, 'nothing else until then');
  await s.page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = (await s.page.locator('.totp-secret').textContent()).trim();
  await s.page.getByLabel('Code from the app', { exact: true }).fill(totpAt(secret));
  await s.page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await s.page.getByText('The authenticator app is on.').first().waitFor();
  assert.equal(await s.page.getByRole('button', { name: 'Turn off' }).count(), 0, 'staff keep it');
  await s.page.getByRole('link', { name: 'Continue' }).click();
  await s.page.goto('/admin/tutors');
  await s.page.getByRole('heading', { name: 'Tutor verification', level: 1 }).waitFor();
  clean(s);
  await s.context.close();
});

test('staff review a flag of suspicious activity: a warning reaches the person', async () => {
  const who = await newStudent('Fred Flagged');
  const su = await superuserToken(S.server.url);
  const flag = await api(S.server.url, '/api/collections/flags/records', { method: 'POST', token: su, body: {
    rule: 'booking_churn', user: who.record.id, subject: who.record.id, status: 'open', evidence: { count: 6 },
  } });
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await admin.page.goto('/admin/flags');
  const row = admin.page.locator(`tr[data-id="${flag.id}"]`);
  await row.getByText('Many lessons booked and cancelled').waitFor();
  await row.getByText('Fred Flagged').waitFor();
  await row.getByRole('button', { name: 'Warn' }).click();
  await admin.page.getByText('Flag reviewed.').waitFor();
  await row.waitFor({ state: 'detached' });
  const after = await api(S.server.url, `/api/collections/flags/records/${flag.id}`, { token: su });
  assert.equal(after.status, 'warned');
  const notes = await api(S.server.url, `/api/collections/notifications/records?filter=${encodeURIComponent('kind = "account_warning"')}`, { token: who.token });
  assert.equal(notes.totalItems, 1);
  clean(admin);
  await admin.context.close();
});

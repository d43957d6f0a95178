// The Google screens against the fake Google (testkit/fakegoogle, built to
// bin/fakegoogle by make e2e): a second server configured for Google
// (GOOGLE_OAUTH_BASE / GOOGLE_API_BASE at the fake, the production code
// paths), the sign-in button only where the school set Google up, and a
// tutor's Calendar connection through the consent page and back, the
// choice of calendars, the Google Drive button of "Add a link" and the
// disconnection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startServer, newContext, authFor, api, demo } from './lib.mjs';
import { S, open, clean } from './suite.mjs';

const G = { fake: null, url: '', server: null };

/** Starts bin/fakegoogle and reads its address. */
function startFakeGoogle() {
  const proc = spawn(join(ROOT, 'bin', 'fakegoogle'), [], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.on('error', reject);
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ proc, url: line.trim() });
    });
  });
}

before(async () => {
  G.fake = await startFakeGoogle();
  G.url = G.fake.url;
  G.server = await startServer({ env: {
    GOOGLE_CLIENT_ID: 'fake-client.apps.googleusercontent.com', GOOGLE_CLIENT_SECRET: 'fake-secret',
    GOOGLE_OAUTH_BASE: G.url, GOOGLE_API_BASE: G.url, TB_GOOGLE_TOKEN_KEY: Buffer.alloc(32, 7).toString('base64'),
    GOOGLE_PICKER_API_KEY: 'e2e-picker-key', GOOGLE_PICKER_APP_ID: '123456789',
  } });
});

after(async () => {
  if (G.server) await G.server.stop();
  if (G.fake) G.fake.proc.kill('SIGTERM');
});

/** A context with one page on the Google server. */
async function openGoogle(opts = {}) {
  const c = await newContext(S.browser, G.server.url, opts);
  const page = await c.context.newPage();
  page.setDefaultTimeout(15000);
  return { ...c, page };
}

test('the Sign in with Google button shows only where the school set Google up', async () => {
  const plain = await open();
  const methods = plain.page.waitForResponse((r) => r.url().includes('/auth-methods'));
  await plain.page.goto('/signin');
  await methods;
  await plain.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await plain.page.waitForTimeout(200); // the button would be drawn right after the answer
  assert.equal(await plain.page.getByRole('button', { name: 'Sign in with Google' }).count(), 0);
  clean(plain);

  const g = await openGoogle();
  try {
    await g.page.goto('/signin');
    await g.page.getByRole('button', { name: 'Sign in with Google' }).waitFor();
    clean(g);
  } finally { await g.context.close(); }
});

test('a tutor connects Google Calendar through the consent page, chooses calendars and disconnects', async () => {
  const email = 'giulia.calendar@gmail.example';
  await api(G.url, '/fake/calendars', { method: 'POST', body: { Email: email, Calendars: [
    { ID: email, Summary: 'Giulia', AccessRole: 'owner', Primary: true },
    { ID: 'family@group.calendar.google.com', Summary: 'Family', AccessRole: 'owner' },
    { ID: 'holidays@group.v.calendar.google.com', Summary: 'Holidays', AccessRole: 'reader' },
  ] } });
  const auth = await authFor(G.server.url, demo('giulia'));
  const g = await openGoogle({ auth });
  try {
    await g.page.goto('/settings#google');
    const box = g.page.locator('#google-box');
    await box.getByText('Connect your Google Calendar').waitFor();
    await box.getByRole('button', { name: 'Connect Google Calendar' }).click();

    // the (fake) Google consent page, then back through /google-callback
    await g.page.getByRole('heading', { name: 'Choose an account' }).waitFor();
    assert.ok(g.page.url().startsWith(G.url));
    await g.page.getByLabel('Email').fill(email);
    await g.page.getByRole('button', { name: 'Allow' }).click();
    await g.page.waitForURL('**/settings#google');
    await box.getByText(`Connected to ${email}`).waitFor();

    // the choice: lessons to a calendar she may edit, busy times from the ticked ones
    const lessons = box.getByLabel('Write my lessons to');
    await lessons.waitFor();
    assert.deepEqual(await lessons.locator('option').allTextContents(), ['Giulia (main calendar)', 'Family']);
    const busy = box.getByRole('group', { name: 'Calendars whose busy times block my free times' });
    assert.equal(await busy.getByLabel('Giulia (main calendar)').isChecked(), true);
    assert.equal(await busy.getByLabel('Holidays').isChecked(), false);
    await lessons.selectOption({ label: 'Family' });
    await busy.getByLabel('Giulia (main calendar)').uncheck();
    await busy.getByLabel('Family').check();
    await busy.getByLabel('Holidays').check();
    await box.getByRole('button', { name: 'Save calendars' }).click();
    await g.page.getByText('Calendars saved.').waitFor();
    const st = await api(G.server.url, '/api/google/calendar', { token: auth.token });
    assert.equal(st.calendar, 'family@group.calendar.google.com');
    assert.deepEqual(st.busy_calendars, ['family@group.calendar.google.com', 'holidays@group.v.calendar.google.com']);
    await g.page.waitForFunction(() => (document.querySelector('#google-box select[name=lessons]') || {}).value === 'family@group.calendar.google.com');

    // connected, with the Picker configured: "Add a link" offers Google Drive (its script loads from Google only on a click)
    await g.page.goto('/materials');
    await g.page.getByRole('button', { name: 'Add a link' }).click();
    await g.page.getByRole('dialog').getByRole('button', { name: 'Choose from Google Drive' }).waitFor();
    await g.page.getByRole('dialog').getByLabel('Web address').waitFor(); // the address can still be pasted
    await g.page.goto('/settings#google');

    await box.getByRole('button', { name: 'Disconnect' }).click();
    await g.page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await box.getByRole('button', { name: 'Connect Google Calendar' }).waitFor();
    const after = await api(G.server.url, '/api/google/calendar', { token: auth.token });
    assert.equal(after.status, '');
    clean(g);
  } finally { await g.context.close(); }
});

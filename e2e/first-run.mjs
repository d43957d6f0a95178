// First run and helpful errors (issue 14, items 1-9): the demo admin signs
// in with the code the server prints when SMTP is not set up, unknown pages
// and API paths, an empty school, errors in the person's language with
// every bad field at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo, superuserToken, DEMO_PASSWORD } from './lib.mjs';
import { S, open, clean, expectRefused } from './suite.mjs';

/** The sign-in codes the server printed (no SMTP) for email, oldest first. */
function printedCodes(email) {
  return S.server.output().split('=== EMAIL NOT SENT').slice(1)
    .filter((block) => block.includes(`To:      ${email}\n`))
    .map((block) => (/^Code:\s+(\d+)$/m.exec(block) || [])[1]).filter(Boolean);
}

async function waitForCode(email, count) {
  for (const deadline = Date.now() + 10000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const codes = printedCodes(email);
    if (codes.length >= count) return codes.at(-1);
  }
  throw new Error(`the server printed no code for ${email}`);
}

test("the demo admin's second step: the code the server prints, 'SMTP is not set up', resend and back", async () => {
  const email = demo('admin');
  const c = await open();
  const passwordStep = async () => {
    await c.page.getByLabel('Email').fill(email);
    await c.page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await c.page.getByRole('heading', { name: 'Second step' }).waitFor();
    // staff have an authenticator app; the demo admin may take an emailed code instead
    await c.page.getByRole('button', { name: 'Email me a code instead' }).click();
  };
  await c.page.goto('/signin');
  const before = printedCodes(email).length;
  await passwordStep();
  await c.page.locator('.smtp-note').getByText("SMTP is not set up: ask the server's operator for the code").waitFor();
  await waitForCode(email, before + 1);
  await c.page.getByRole('button', { name: 'Back', exact: true }).click();
  await c.page.getByRole('link', { name: 'Forgot your password?' }).waitFor();

  await passwordStep();
  await waitForCode(email, before + 2);
  await c.page.getByRole('button', { name: 'Send a new code' }).click();
  await c.page.getByText('A new code is on its way: use the newest one.').waitFor();
  const code = await waitForCode(email, before + 3);
  await c.page.getByLabel('Code').fill(code);
  await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await c.page.waitForURL('**/admin/tutors');
  await c.page.getByRole('heading', { name: 'Tutor verification', level: 1 }).waitFor();
  expectRefused(c, /status of 401/); // the password step answers 401 with the MFA id
  clean(c);
});

test("an unknown page shows the app's not-found page; an unknown API path is a JSON 404", async () => {
  const c = await open();
  await c.page.goto('/no/such/page');
  await c.page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
  await c.page.getByRole('link', { name: 'Back to the tutors' }).waitFor();
  const res = await fetch(`${S.server.url}/api/no-such-route`);
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal((await res.json()).status, 404);
  clean(c);
});

test('a school with no tutor listed says so, and shows staff where tutors and subjects are added', async () => {
  const su = await superuserToken(S.server.url);
  const listed = (await api(S.server.url, '/api/search/tutors?perPage=100')).items;
  const suspend = (status) => Promise.all(listed.map((x) => api(S.server.url, `/api/collections/tutors/records/${x.id}`, { method: 'PATCH', token: su, body: { status } })));
  await suspend('suspended');
  try {
    const v = await open();
    await v.page.goto('/');
    await v.page.locator('.empty-school').getByText('No tutors are listed yet. Please come back soon.').waitFor();
    await v.page.getByRole('link', { name: 'Are you a tutor? Create your account.' }).waitFor();
    assert.equal(await v.page.getByText('No tutor matches these filters').count(), 0);
    clean(v);

    const a = await open({ auth: await authFor(S.server.url, demo('admin')) });
    await a.page.goto('/');
    const box = a.page.locator('.empty-school');
    await box.getByText('No tutors are listed yet.').waitFor();
    assert.equal(await box.getByRole('link', { name: 'sign-up as a tutor' }).getAttribute('href'), '/signup?role=tutor');
    assert.equal(await box.getByRole('link', { name: 'Verification' }).getAttribute('href'), '/admin/tutors');
    await box.getByRole('link', { name: 'Subjects' }).click();
    await a.page.waitForURL('**/admin/tutors#subjects');
    const form = a.page.locator('#add-subject');
    await form.getByLabel('Name', { exact: true }).fill('Astronomy');
    await form.getByLabel('Name in Italian (optional)').fill('Astronomia');
    await form.getByRole('button', { name: 'Add subject' }).click();
    await a.page.locator('#subjects-list li').filter({ hasText: 'Astronomy · Astronomia' }).waitFor();
    clean(a);
  } finally {
    await suspend('active');
  }
});

test('errors reach the person in their language, every bad field at once; subject names too', async () => {
  const c = await open();
  await c.page.goto('/signup');
  await c.page.getByLabel('Language', { exact: true }).selectOption('it');
  await c.page.getByRole('heading', { name: 'Crea un account', level: 1 }).waitFor();
  await c.page.getByLabel('Il tuo nome').fill('Ugo');
  await c.page.getByLabel('Email').fill('ugo@');
  await c.page.getByLabel('Password', { exact: true }).fill('ugo ugo ugo');
  await c.page.getByLabel('Ripeti la password').fill('something else');
  await c.page.getByRole('button', { name: 'Crea il mio account' }).click();
  const err = (f) => c.page.locator(`[data-field="${f}"] .field-error`);
  await err('email').filter({ hasText: 'Deve essere un indirizzo email valido.' }).waitFor();
  await err('password').filter({ hasText: 'Usa almeno 15 caratteri.' }).waitFor();
  await err('passwordConfirm').filter({ hasText: 'I valori non coincidono.' }).waitFor();
  await c.page.locator('.error-summary').getByText('Controlla 3 campi: ognuno dice cosa cambiare.').waitFor();
  assert.doesNotMatch(await c.page.locator('main').textContent(), /Failed to create record/);

  // a subject's Italian name, in the directory's filter and on the cards
  await c.page.goto('/');
  await c.page.getByLabel('Materia', { exact: true }).locator('option', { hasText: 'Fisica' }).waitFor({ state: 'attached' });
  await c.page.locator('.tutor-card').filter({ hasText: 'Giulia Rossi' }).getByText('Fisica').waitFor();
  await c.page.getByLabel('Lingua', { exact: true }).selectOption('en');
  expectRefused(c);
  clean(c);
});

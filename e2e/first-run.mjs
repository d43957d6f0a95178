// First run and helpful errors (issue 14, items 1-9): the demo admin signs
// in with the code the server prints when SMTP is not set up, unknown pages
// and API paths, an empty school, errors in the person's language with
// every bad field at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demo, DEMO_PASSWORD } from './lib.mjs';
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

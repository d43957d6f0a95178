// Messages (issue 19, docs/messages.md): a student writes to a tutor from
// the tutor's page; the tutor sees the unread count in the header and
// answers; the student's guardian takes part; each sees the others'
// messages arrive live, links clickable and markup shown as typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo, superuserToken } from './lib.mjs';
import { S, open, clean, tutorId, stamp, newStudent } from './suite.mjs';

test('a tutor, a student and a guardian exchange messages live', async () => {
  const su = await superuserToken(S.server.url);
  const studentAuth = await newStudent('Mia Messages');
  const guardianEmail = `gianni.${stamp}@example.com`;
  await api(S.server.url, '/api/collections/users/records', { method: 'POST', token: su, body: {
    name: `Gianni Guardian ${stamp}`, email: guardianEmail, password: 'a walk along the river at dawn', passwordConfirm: 'a walk along the river at dawn',
    role: 'guardian', locale: 'en', verified: true } });
  const admin = await authFor(S.server.url, demo('admin'));
  await api(S.server.url, '/api/guardians/link', { method: 'POST', token: admin.token, body: { student: studentAuth.record.email, guardian: guardianEmail } });
  const guardianAuth = await api(S.server.url, '/api/collections/users/auth-with-password', { method: 'POST', body: { identity: guardianEmail, password: 'a walk along the river at dawn' } });
  const tutorAuth = await authFor(S.server.url, demo('giulia'));

  // the student writes from the tutor's page
  const st = await open({ auth: studentAuth });
  await st.page.goto(`/tutors/${await tutorId('Giulia Rossi')}`);
  await st.page.getByRole('button', { name: 'Send a message' }).click();
  await st.page.waitForURL('**/messages/*');
  const thread = st.page.url().split('/messages/')[1];
  const form = st.page.locator('#message-form');
  await form.getByLabel('Message').fill('Hello! Is <b>page 12</b> for Monday? See https://example.com/page12.');
  await form.getByRole('button', { name: 'Send' }).click();
  const first = st.page.locator('#thread-messages li.message.mine').filter({ hasText: 'page 12' });
  await first.waitFor();
  assert.equal(await first.locator('.message-body').textContent(), 'Hello! Is <b>page 12</b> for Monday? See https://example.com/page12.', 'markup is shown as typed');
  assert.equal(await first.locator('.message-body b').count(), 0, 'and never rendered');
  assert.equal(await first.getByRole('link', { name: 'https://example.com/page12' }).getAttribute('href'), 'https://example.com/page12', 'the link is clickable, without the full stop');

  // the tutor sees the unread count in the header, opens the thread and answers
  const tu = await open({ auth: tutorAuth });
  await tu.page.goto('/messages');
  await tu.page.locator('#messages-badge').filter({ hasText: /^[1-9]\d*$/ }).waitFor();
  await tu.page.locator(`#threads li[data-id="${thread}"]`).getByRole('link').click();
  await tu.page.locator('#thread-messages li.message').filter({ hasText: 'page 12' }).waitFor();
  await tu.page.locator('#messages-badge[hidden]').waitFor({ state: 'attached' }); // read now
  await tu.page.locator('#message-form').getByLabel('Message').fill('Yes, page 12 and 13.');
  await tu.page.locator('#message-form').getByRole('button', { name: 'Send' }).click();
  await st.page.locator('#thread-messages li.message').filter({ hasText: 'Yes, page 12 and 13.' }).waitFor(); // live, no reload

  // the guardian takes part: reads both, writes, and both others see it live
  const g = await open({ auth: guardianAuth });
  await g.page.goto(`/messages/${thread}`);
  await g.page.locator('#thread-messages li.message').filter({ hasText: 'Yes, page 12 and 13.' }).waitFor();
  await g.page.locator('#message-form').getByLabel('Message').fill('Mia will bring the workbook.');
  await g.page.locator('#message-form').getByRole('button', { name: 'Send' }).click();
  await tu.page.locator('#thread-messages li.message').filter({ hasText: 'Mia will bring the workbook.' }).waitFor();
  await st.page.locator('#thread-messages li.message').filter({ hasText: 'Mia will bring the workbook.' }).waitFor();

  // the student deletes their first message for everyone: the others see it go
  await first.getByRole('button', { name: 'Delete for everyone' }).click();
  await st.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await tu.page.locator('#thread-messages li.message .deleted').waitFor();
  assert.equal(await tu.page.locator('#thread-messages').getByText('page 12</b>').count(), 0);
  clean(st, tu, g);
});

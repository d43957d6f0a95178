// Families (issue 18, docs/families.md): a student invites a guardian by
// email; the guardian signs up from the link, confirms their email and
// accepts; then books a lesson for the student (the booking dialog's
// student switcher), pays for it, and reads the lesson report the tutor
// wrote on an earlier lesson. Another family's student sees none of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, authFor, demo, emailedLink, superuserToken } from './lib.mjs';
import { S, open, clean, expectRefused, tutorId, nextWeekSlots, signUp, stamp, newStudent } from './suite.mjs';

test('a guardian accepts an invitation, books for the student, pays and reads a report', async () => {
  const su = await superuserToken(S.server.url);
  const giuliaAuth = await authFor(S.server.url, demo('giulia'));
  // a completed lesson of a demo student with another tutor (the teaching tests report on Giulia's)
  const done = await api(S.server.url, `/api/collections/bookings/records?sort=start&perPage=50&filter=${encodeURIComponent(`status = "completed" && tutor_user != "${giuliaAuth.record.id}"`)}`, { token: su });
  const lesson = done.items[0];
  assert.ok(lesson, 'the demo has completed lessons');
  const tutorUser = await api(S.server.url, `/api/collections/users/records/${lesson.tutor_user}`, { token: su });
  const tutorAuth = await authFor(S.server.url, tutorUser.email);
  await api(S.server.url, '/api/collections/lesson_reports/records', { method: 'POST', token: tutorAuth.token, body: {
    booking: lesson.id, topics: 'Past tense verbs', comment: 'Reads aloud with confidence now.' } });
  const studentUser = await api(S.server.url, `/api/collections/users/records/${lesson.student}`, { token: su });
  const studentAuth = await authFor(S.server.url, studentUser.email);

  // the student invites their guardian
  const guardian = { name: `Gina Guardian ${stamp}`, email: `gina.${stamp}@example.com` };
  const st = await open({ auth: studentAuth });
  await st.page.goto('/family');
  await st.page.getByRole('heading', { name: 'Invite a guardian' }).waitFor();
  await st.page.getByLabel("Your parent's or guardian's email").fill(guardian.email);
  await st.page.getByRole('button', { name: 'Send the invitation' }).click();
  await st.page.locator('#guardians').getByText(guardian.email).waitFor();

  // the guardian opens the emailed link, signs up from it, confirms their email and accepts
  const g = await open();
  const invite = await emailedLink(S.server.url, guardian.email, '/guardian-invite');
  await g.page.goto(invite);
  await g.page.getByRole('link', { name: 'Sign up as a guardian' }).click();
  await g.page.waitForURL('**/signup?**');
  assert.equal(await g.page.getByLabel(/book lessons for my children/).isChecked(), true, 'the guardian role is chosen');
  await signUp(g.page, guardian, { go: false });
  await g.page.waitForURL('**/guardian-invite?**');
  await g.page.goto(await emailedLink(S.server.url, guardian.email, '/verify-email'));
  await g.page.getByText('Thank you: your email address is confirmed.').waitFor();
  await g.page.goto(invite);
  await g.page.getByRole('button', { name: 'Accept the invitation' }).click();
  await g.page.getByText('Invitation accepted.').waitFor();
  await g.page.getByRole('link', { name: 'Go to your family' }).click();
  await g.page.locator('#students strong').getByText(studentUser.name).waitFor();
  assert.equal(await g.page.getByLabel(`Send me ${studentUser.name}'s reminders and lesson notices`).isChecked(), true, 'notices on by default');
  await st.page.reload();
  await st.page.locator('#guardians').getByText(guardian.name).waitFor();

  // books for the student
  await g.page.goto(`/tutors/${await tutorId('Giulia Rossi')}`);
  const slots = await nextWeekSlots(g.page);
  await slots.last().click();
  const dialog = g.page.getByRole('dialog', { name: 'Book a lesson' });
  assert.equal(await dialog.getByLabel('Lesson for').locator('option:checked').textContent(), studentUser.name);
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await dialog.getByRole('heading', { name: /Lesson booked|Request sent/ }).waitFor();
  await dialog.getByRole('link', { name: 'Go to my lessons' }).click();
  const booked = await api(S.server.url, `/api/collections/bookings/records?sort=-created&perPage=1&filter=${encodeURIComponent(`student = "${lesson.student}"`)}`, { token: su });
  const b = booked.items[0];
  assert.equal(b.tutor_user, giuliaAuth.record.id, 'the lesson is the student\'s');

  // pays for it: the payment is the guardian's, for the student
  const item = g.page.locator(`#upcoming li.lesson[data-id="${b.id}"]`);
  await item.getByRole('button', { name: 'Pay', exact: true }).click();
  const pay = g.page.getByRole('dialog', { name: 'Pay for this lesson' });
  await pay.getByRole('button', { name: 'Continue to payment' }).click(); // no promotion code
  await pay.getByRole('link', { name: 'See my payments' }).click();
  await g.page.getByRole('button', { name: 'How to pay' }).first().waitFor();
  const payments = await api(S.server.url, `/api/collections/payments/records?filter=${encodeURIComponent(`booking = "${b.id}"`)}`, { token: su });
  const gUser = (await api(S.server.url, `/api/collections/users/records?filter=${encodeURIComponent(`email = "${guardian.email}"`)}`, { token: su })).items[0];
  assert.equal(payments.items[0].payer, gUser.id, 'the guardian paid');
  assert.equal(payments.items[0].student, lesson.student);

  // the credits page is theirs too (their students' ledgers)
  await g.page.getByRole('link', { name: 'Credits' }).click();
  await g.page.getByRole('heading', { name: 'Credits', level: 1 }).waitFor();
  assert.equal(await g.page.getByText('This page is for another kind of account.').count(), 0);

  // reads the report of the student's earlier lesson
  await g.page.goto(`/lessons/${lesson.id}`);
  await g.page.locator('#report').getByText('Past tense verbs').waitFor();
  await g.page.locator('#report').getByText('Reads aloud with confidence now.').waitFor();

  // invites the other parent for the same student
  await g.page.goto('/family');
  const second = g.page.locator('#invite-second');
  assert.equal(await second.getByLabel('For').inputValue(), lesson.student, 'the student they act for');
  await second.getByLabel("The other parent's or guardian's email").fill(`other.parent.${stamp}@example.com`);
  await second.getByRole('button', { name: 'Send the invitation' }).click();
  await g.page.getByText(`Invitation sent to other.parent.${stamp}@example.com.`).waitFor();
  const open2 = await api(S.server.url, `/api/collections/guardians/records?filter=${encodeURIComponent(`student = "${lesson.student}" && status = "invited"`)}`, { token: su });
  assert.ok(open2.items.some((l) => l.email === `other.parent.${stamp}@example.com`), 'an open invitation for the student');

  // another family's student sees none of it
  const other = await newStudent('Otto Otherfamily');
  const seen = await api(S.server.url, `/api/collections/bookings/records?filter=${encodeURIComponent(`id = "${b.id}"`)}`, { token: other.token });
  assert.equal(seen.totalItems, 0);
  clean(st, g);
});

test('staff link a guardian account to a student, see every link, and unlink it', async () => {
  const su = await superuserToken(S.server.url);
  const student = await newStudent('Sara Linked');
  const email = `gil.guardian.${stamp}@example.com`;
  await api(S.server.url, '/api/collections/users/records', { method: 'POST', token: su, body: {
    name: 'Gil Guardian', email, password: 'a walk along the river at dawn', passwordConfirm: 'a walk along the river at dawn', role: 'guardian', locale: 'en', verified: true } });
  const a = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await a.page.goto('/admin/families');
  const form = a.page.locator('form', { has: a.page.getByRole('heading', { name: 'Link a guardian' }) });
  await form.getByLabel("Student's email").fill(student.record.email);
  await form.getByLabel("Guardian's email").fill(`nobody.${stamp}@example.com`);
  await form.getByRole('button', { name: 'Link', exact: true }).click();
  await form.locator('.field-error', { hasText: 'Choose a guardian account.' }).waitFor();
  expectRefused(a, /status of 400/); // that refusal
  await form.getByLabel("Guardian's email").fill(email);
  await form.getByRole('button', { name: 'Link', exact: true }).click();
  await a.page.getByText('Guardian linked.').waitFor();
  const row = a.page.locator('tr', { hasText: email });
  await row.getByRole('cell', { name: 'Linked', exact: true }).waitFor();
  const links = await api(S.server.url, `/api/collections/guardians/records?filter=${encodeURIComponent(`student = "${student.record.id}"`)}`, { token: su });
  assert.equal(links.items.length, 1);
  assert.equal(links.items[0].status, 'accepted');
  await row.getByRole('button', { name: 'Unlink' }).click();
  await a.page.getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
  await a.page.getByText('Guardian unlinked.').waitFor();
  await row.waitFor({ state: 'detached' });
  assert.equal((await api(S.server.url, `/api/collections/guardians/records?filter=${encodeURIComponent(`student = "${student.record.id}"`)}`, { token: su })).items.length, 0);
  clean(a);
});

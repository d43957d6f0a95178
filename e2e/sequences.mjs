// Browser test of the follow-up sequences (docs/insight.md): staff edit
// and turn on the welcome on their page, the message reaches a new student
// by email in a real mailpit, and its unsubscribe link works without
// signing in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { api, authFor, demo, superuserToken, ROOT } from './lib.mjs';
import { S, open, clean, newStudent, stamp } from './suite.mjs';

const freePort = () => new Promise((resolve) => {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});

/** A mailpit of this test: {smtpPort, api, stop}. */
async function startMailpit() {
  const [smtpPort, httpPort] = [await freePort(), await freePort()];
  const proc = spawn(join(ROOT, '.tools/bin/mailpit'), ['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${httpPort}`,
    '--database', join(mkdtempSync(join(tmpdir(), 'tb-mailpit-')), 'mail.db'), '--smtp-auth-accept-any', '--smtp-auth-allow-insecure',
    '--smtp-disable-rdns', '--disable-version-check', '--quiet'], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${httpPort}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* not yet */ }
    if (i > 100) throw new Error('mailpit did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { smtpPort, api: (path) => fetch(base + path).then((r) => r.json()), stop: () => proc.kill() };
}

/** Polls until f returns something truthy. */
async function until(f, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('staff turn on the welcome, it reaches a new student in mailpit, and its unsubscribe link works without signing in', async () => {
  const base = S.server.url;
  const su = await superuserToken(base);
  const mp = await startMailpit();
  const settings = await api(base, '/api/settings', { token: su });
  const welcome = 'seqwelcome00000';
  try {
    await api(base, '/api/settings', { method: 'PATCH', token: su, body: { smtp: { ...settings.smtp, enabled: true, host: '127.0.0.1', port: mp.smtpPort, tls: false } } });
    // everyone else of the shared school stays out of it: only this test's student is welcomed
    const sam = await newStudent(`Sam Sequence`);
    const others = await api(base, `/api/collections/users/records?perPage=500&fields=id&filter=${encodeURIComponent(`id != "${sam.record.id}"`)}`, { token: su });
    for (const u of others.items) {
      await api(base, '/api/collections/sequence_optouts/records', { method: 'POST', token: su, body: { person: u.id, sequence: welcome, all_sequences: true } });
    }

    // staff find the page from the reports, write their own English title and turn it on
    const admin = await open({ auth: await authFor(base, demo('admin')) });
    await admin.page.goto('/admin/reports');
    await admin.page.getByRole('link', { name: 'Follow-up messages' }).click();
    await admin.page.getByRole('heading', { name: 'Follow-up messages', level: 1 }).waitFor();
    const card = admin.page.locator('form[data-trigger="welcome"]');
    assert.equal(await card.getByLabel('Title').first().isVisible(), false, 'the words are folded');
    await card.locator('[data-lang="en"] summary').click();
    await card.locator('[data-lang="en"]').getByLabel('Title').fill(`Welcome aboard ${stamp}`);
    await card.getByLabel('On: send it to everyone it is due for').check();
    await card.getByRole('button', { name: 'Save' }).click();
    await admin.page.getByText('Saved.').waitFor();
    const rec = await api(base, `/api/collections/sequences/records/${welcome}`, { token: su });
    assert.equal(rec.active, true);
    assert.equal(rec.texts.en.title, `Welcome aboard ${stamp}`);
    assert.equal(rec.texts.it.title, 'Benvenuto nella scuola', 'the Italian words kept');

    // the job, then the outbox: the email reaches mailpit
    await api(base, '/api/crons/tutorbase_sequences', { method: 'POST', token: su });
    await until(async () => (await api(base, `/api/collections/sequence_sends/records?filter=${encodeURIComponent(`person = "${sam.record.id}"`)}`, { token: su })).totalItems, 'the send');
    await api(base, `/api/collections/sequences/records/${welcome}`, { method: 'PATCH', token: su, body: { active: false } });
    await api(base, '/api/crons/tutorbase_deliveries', { method: 'POST', token: su });
    const mail = await until(async () => (await mp.api('/api/v1/messages')).messages.find((m) => m.To[0].Address === sam.record.email), 'the email');
    assert.equal(mail.Subject, `Welcome aboard ${stamp}`);
    const body = await mp.api(`/api/v1/message/${mail.ID}`);
    const link = /https?:\/\/[^/\s]+(\/unsubscribe\?token=[A-Za-z0-9._%-]+)/.exec(body.Text);
    assert.ok(link, body.Text);

    // the student, not signed in, unsubscribes from every follow-up
    const visitor = await open();
    await visitor.page.goto(link[1]);
    await visitor.page.getByRole('heading', { name: 'Unsubscribe', level: 1 }).waitFor();
    await visitor.page.getByText('Stop the “Welcome” messages from the school?').waitFor();
    await visitor.page.getByLabel('Stop every follow-up message from the school').check();
    await visitor.page.getByRole('button', { name: 'Unsubscribe' }).click();
    await visitor.page.getByText('Done: the school will send you no more follow-up messages.').waitFor();
    const outs = await api(base, `/api/collections/sequence_optouts/records?filter=${encodeURIComponent(`person = "${sam.record.id}"`)}`, { token: su });
    assert.equal(outs.totalItems, 1);
    assert.equal(outs.items[0].all_sequences, true);

    // a forged link is refused with the server's message
    await visitor.page.goto(`${link[1].slice(0, -3)}xyz`);
    await visitor.page.getByText('This link is not valid: open the latest message again.').waitFor();
    visitor.problems.splice(0, visitor.problems.length, ...visitor.problems.filter((p) => !/status of 400/.test(p)));

    // staff see it counted
    await admin.page.reload();
    const cells = admin.page.locator('tr[data-trigger="welcome"] td');
    await cells.first().waitFor();
    const [name, on, sent, , , unsubscribed] = await cells.allTextContents();
    assert.deepEqual([name, on], ['Welcome', 'No']);
    assert.ok(Number(sent) >= 1 && Number(unsubscribed) >= 1, `sent ${sent}, unsubscribed ${unsubscribed}`);
    clean(admin, visitor);
  } finally {
    await api(base, `/api/collections/sequences/records/${welcome}`, { method: 'PATCH', token: su, body: { active: false } }).catch(() => {});
    await api(base, '/api/settings', { method: 'PATCH', token: su, body: { smtp: settings.smtp } });
    mp.stop();
  }
});

// Lesson materials (issue 16): a tutor uploads by drag and drop, adds a new
// version, shares with a student; the student downloads from the lesson
// page and opens the history; the tutor sees who downloaded, zips, moves
// and unshares several at once; staff change the school's upload limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { authFor, api, demo, axeViolations } from './lib.mjs';
import { S, open, clean, expectRefused, stamp } from './suite.mjs';

/** The bytes of a download the click on target starts. */
async function downloaded(page, target) {
  const [d] = await Promise.all([page.waitForEvent('download'), target.click()]);
  return { name: d.suggestedFilename(), body: await readFile(await d.path()) };
}

/** Fails on what axe-core finds on the page as it is now. */
async function accessible(page, where) {
  assert.deepEqual(await axeViolations(page), [], `axe-core violations on ${where}`);
}

/** Drops files ([name, text]) on the page's drop zone, as a person dragging them from their desktop. */
function drop(page, files) {
  return page.locator('.dropzone').evaluate((zone, list) => {
    const dt = new DataTransfer();
    for (const [name, text] of list) dt.items.add(new File([text], name));
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

test('a tutor uploads two files and a new version and shares one; the student downloads it from the lesson page and sees the history; zip, move and unshare', async () => {
  const giulia = await authFor(S.server.url, demo('giulia'));
  const luca = await authFor(S.server.url, demo('luca'));
  const mine = encodeURIComponent(`tutor_user = "${giulia.record.id}" && status != "cancelled"`);
  const lessons = await api(S.server.url, `/api/collections/bookings/records?perPage=1&sort=-start&filter=${mine}`, { token: luca.token });
  assert.ok(lessons.items.length, 'the demo gives Luca a lesson with Giulia');
  const lesson = lessons.items[0];
  const sheet = `worksheet-${stamp}`;
  const notes = `notes-${stamp}`;

  const tu = await open({ auth: giulia });
  await tu.page.goto('/materials');
  await tu.page.getByRole('heading', { name: 'Materials', level: 1 }).waitFor();
  await tu.page.getByLabel('Upload into the folder').fill('Algebra');
  await drop(tu.page, [[`${sheet}.pdf`, 'Worksheet, first version'], [`${notes}.txt`, 'Notes for the lesson'], [`setup-${stamp}.exe`, 'MZ']]);
  // each file has its own line: two uploaded (their bars full), one refused before it was sent
  await tu.page.locator('.uploads li.done').nth(1).waitFor();
  assert.deepEqual(await tu.page.locator('.uploads li.done progress').evaluateAll((bars) => bars.map((b) => b.value)), [100, 100]);
  await tu.page.locator('.uploads li.failed').filter({ hasText: 'Files of type exe are not accepted.' }).waitFor();
  const row = (title) => tu.page.locator(`li.material[data-title="${title}"]`);
  await row(sheet).getByText('Folder: Algebra').waitFor();
  await row(notes).waitFor();

  // a link as a material: only a web address is taken; it opens in a new tab
  await tu.page.getByRole('button', { name: 'Add a link' }).click();
  const linkDialog = tu.page.getByRole('dialog', { name: 'Add a link' });
  await linkDialog.getByLabel('Title').fill(`video-${stamp}`);
  await linkDialog.getByLabel('Web address').fill('javascript:alert(1)');
  await linkDialog.getByRole('button', { name: 'Add the link' }).click();
  await linkDialog.locator('[data-field="url"] .field-error').filter({ hasText: /http/ }).waitFor();
  assert.equal(await linkDialog.getByLabel('Web address').getAttribute('aria-invalid'), 'true');
  expectRefused(tu);
  const target = `${S.server.url}/tutors?from=material`;
  await linkDialog.getByLabel('Web address').fill(target);
  await linkDialog.getByRole('button', { name: 'Add the link' }).click();
  await row(`video-${stamp}`).getByText('Link').first().waitFor();
  const [tab] = await Promise.all([tu.context.waitForEvent('page'), row(`video-${stamp}`).getByRole('button', { name: `Open: video-${stamp}` }).click()]);
  await tab.waitForURL(target);
  await tab.close();

  // a new version of the worksheet, chosen with the file chooser
  const [chooser] = await Promise.all([tu.page.waitForEvent('filechooser'), row(sheet).getByRole('button', { name: `New version of ${sheet}` }).click()]);
  await chooser.setFiles({ name: `${sheet}-v2.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('Worksheet, second version') });
  await row(sheet).getByText('version 2').waitFor();

  // shared with Luca, one of Giulia's students
  await row(sheet).getByRole('button', { name: `Share ${sheet}` }).click();
  const share = tu.page.getByRole('dialog', { name: `Share ${sheet}` });
  await share.getByLabel('Luca Esposito').waitFor();
  await accessible(tu.page, 'the share dialog');
  await share.getByLabel('Luca Esposito').check();
  await share.getByRole('button', { name: 'Save sharing' }).click();
  await row(sheet).getByText('Shared with Luca Esposito').waitFor();
  await accessible(tu.page, "the tutor's materials with uploads");

  // Luca downloads the newest version from the lesson page and opens the history
  const st = await open({ auth: luca });
  await st.page.goto(`/lessons/${lesson.id}`);
  const item = st.page.locator('#lesson-materials li.material').filter({ hasText: sheet });
  await item.getByText('version 2').waitFor();
  assert.equal(await st.page.locator('#lesson-materials li.material').filter({ hasText: notes }).count(), 0, 'what is not shared is not shown');
  const newest = await downloaded(st.page, item.getByRole('button', { name: `Download: ${sheet}` }));
  assert.equal(newest.body.toString(), 'Worksheet, second version');
  await item.getByRole('button', { name: `History of ${sheet}` }).click();
  const history = st.page.getByRole('dialog', { name: `Versions of ${sheet}` });
  await history.locator('li[data-version="1"]').waitFor();
  assert.deepEqual(await history.locator('li').evaluateAll((ls) => ls.map((l) => l.dataset.version)), ['2', '1']);
  await accessible(st.page, 'the history dialog on the lesson page');
  const first = await downloaded(st.page, history.getByRole('button', { name: `Download version 1: ${sheet}` }));
  assert.equal(first.body.toString(), 'Worksheet, first version');
  await st.page.keyboard.press('Escape');
  // and finds it on the Materials page
  await st.page.getByRole('link', { name: 'Materials' }).click();
  await st.page.locator('li.material').filter({ hasText: sheet }).getByText('From Giulia Rossi').waitFor();

  // Giulia sees who downloaded it and when
  await row(sheet).getByRole('button', { name: `Downloads of ${sheet}` }).click();
  const usage = tu.page.getByRole('dialog', { name: `Downloads of ${sheet}` });
  await usage.getByText('2 downloads').waitFor();
  assert.equal(await usage.locator('tbody tr').filter({ hasText: 'Luca Esposito' }).count(), 2);
  await accessible(tu.page, 'the downloads dialog');
  await tu.page.keyboard.press('Escape');

  // both as one zip
  await tu.page.getByLabel(`Select ${sheet}`).check();
  await tu.page.getByLabel(`Select ${notes}`).check();
  await tu.page.getByText('2 selected').waitFor();
  const zip = await downloaded(tu.page, tu.page.getByRole('button', { name: 'Download as zip' }));
  assert.match(zip.name, /^materials-\d{4}-\d{2}-\d{2}\.zip$/);
  assert.equal(zip.body.subarray(0, 2).toString(), 'PK');
  for (const name of [`Algebra/${sheet}.pdf`, `Algebra/${notes}.txt`]) assert.ok(zip.body.includes(name), `the zip holds ${name}`);
  assert.ok(zip.body.includes('Worksheet, second version'), 'the newest version is zipped');

  // moved to another folder, then unshared
  await tu.page.getByRole('button', { name: 'Move to folder' }).click();
  const move = tu.page.getByRole('dialog', { name: 'Move 2 materials' });
  await move.getByLabel('Move to the folder').fill('Week 1');
  await move.getByRole('button', { name: 'Move', exact: true }).click();
  await row(notes).getByText('Folder: Week 1').waitFor();
  await row(sheet).getByText('Folder: Week 1').waitFor();
  await tu.page.getByRole('button', { name: 'Unshare' }).click();
  await tu.page.getByRole('dialog', { name: 'Stop sharing 2 materials?' }).getByRole('button', { name: 'Unshare' }).click();
  await row(sheet).getByText('Not shared').waitFor();
  const seen = await api(S.server.url, `/api/collections/materials/records?filter=${encodeURIComponent(`title = "${sheet}"`)}`, { token: luca.token });
  assert.equal(seen.totalItems, 0, 'Luca no longer sees any version');
  await st.page.goto(`/lessons/${lesson.id}`);
  await st.page.locator('#lesson-materials').getByText('No materials for this lesson yet.').waitFor();
  clean(tu, st);
});

/** Saves the limits form and waits for the school record to be saved. */
async function saved(page) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/collections/school/records/') && r.request().method() === 'PATCH'),
    page.getByRole('button', { name: 'Save limits' }).click(),
  ]);
  assert.equal(res.status(), 200);
}

test('staff change the school\'s upload limits, and a tutor\'s upload is held to them', async () => {
  const admin = await open({ auth: await authFor(S.server.url, demo('admin')) });
  await admin.page.goto('/materials');
  await admin.page.getByRole('heading', { name: 'Upload limits' }).waitFor();
  const types = admin.page.getByLabel('File types accepted');
  const before = await types.inputValue();
  await admin.page.getByLabel('Largest file (MB)').fill('1');
  await types.fill('pdf, .TXT');
  await saved(admin.page);
  try {
    const tu = await open({ auth: await authFor(S.server.url, demo('giulia')) });
    await tu.page.goto('/materials');
    await tu.page.getByText('Several at once; each up to 1 MB.').waitFor();
    await drop(tu.page, [[`big-${stamp}.pdf`, 'x'.repeat(1024 * 1024 + 1)], [`slides-${stamp}.pptx`, 'slides']]);
    await tu.page.locator('.uploads li.failed').filter({ hasText: 'This file is too large: each file can be at most 1 MB.' }).waitFor();
    await tu.page.locator('.uploads li.failed').filter({ hasText: 'Files of type pptx are not accepted. Accepted types: pdf, txt.' }).waitFor();
    clean(tu);
  } finally {
    await admin.page.getByLabel('Largest file (MB)').fill('50');
    await types.fill(before);
    await saved(admin.page);
  }
  clean(admin);
});

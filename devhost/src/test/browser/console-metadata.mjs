// Metadata in the console against the real app (devhost + Azurite + the sandbox Azure DevOps
// server): the policy's metadata toggle, a backup that saves a project's pull requests, work items
// and pipelines, the project's snapshot with counts by kind and what was not backed up (a secret
// variable), the snapshot as a zip, and a restore into an empty project, previewed first, with what it created.
//
// Environment (set by the Java test that starts the parts):
//   BUNKER_URL        devhost, e.g. http://localhost:PORT
//   ORG_URL, PAT      a sandbox organization and a token it accepts
//   PROJECT           the project that has metadata
//   WORK_ITEMS        how many work items it has
//   SECRET_VARIABLE   the name of a secret variable in one of its variable groups
//   SECRET_VALUES     comma-separated values of its secret variables (more than five of them)
//   TARGET_PROJECT    an existing empty project to restore into
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { assertFitsTheScreen, baseUrl, consoleUrl, eventually, latestRunSucceeds, requiredEnv, session } from './harness.mjs';

const orgUrl = requiredEnv('ORG_URL');
const pat = requiredEnv('PAT');
const project = requiredEnv('PROJECT');
const workItems = Number(requiredEnv('WORK_ITEMS'));
const secretVariable = requiredEnv('SECRET_VARIABLE');
const secretValues = requiredEnv('SECRET_VALUES').split(',');
const targetProject = requiredEnv('TARGET_PROJECT');

/** A zip's entries (name to content), read through its central directory. */
function unzip(bytes) {
  assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'the file starts like a zip');
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end -= 1;
  assert.ok(end >= 0, 'the zip has an end of central directory');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; i += 1) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const data = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const stored = bytes.subarray(data, data + size);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated`);
    entries.set(name, method === 8 ? zlib.inflateRawSync(stored) : stored);
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

/** The sandbox's REST API with the organization's token, as Azure DevOps answers it. */
async function ado(resource) {
  const response = await fetch(`${orgUrl}/${encodeURIComponent(targetProject)}/_apis/${resource}`, {
    headers: { Authorization: `Basic ${Buffer.from(`:${pat}`).toString('base64')}` },
  });
  assert.equal(response.status, 200, `${resource}: ${response.status}`);
  return response.json();
}

await session('console-metadata', async (t) => {
  const { page } = t;
  let organizationPath;
  const count = (scope, kind) => scope.locator(`[data-kind="${kind}"]`).first().getAttribute('data-count').then(Number);

  await t.step('the policy offers backing up pull requests, work items, pipelines and boards', async () => {
    // Registration is covered by console-e2e; here it is the API call automation would make.
    const response = await fetch(`${baseUrl}/api/organizations`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: orgUrl, pat }),
    });
    const text = await response.text();
    assert.equal(response.status, 201, text);
    organizationPath = `#/organizations/${encodeURIComponent(JSON.parse(text).id)}`;
    await page.goto(`${consoleUrl}${organizationPath}`);
    await page.getByRole('button', { name: 'Custom policy' }).click();
    const editor = page.locator('#policy-editor');
    const toggle = editor.getByLabel('Back up pull requests, work items, pipelines and boards');
    assert.equal(await toggle.isChecked(), true, 'on by default');
    await toggle.uncheck();
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await eventually('the summary to say metadata is off', async () =>
      /pull requests, work items and pipelines are not backed up/.test(
        await page.locator('[data-policy-summary]').textContent()));
    await page.getByRole('button', { name: 'Custom policy' }).click();
    assert.equal(await toggle.isChecked(), false);
    await toggle.check();
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await eventually('the summary to say metadata is on again', async () =>
      !/not backed up/.test(await page.locator('[data-policy-summary]').textContent()));
    assert.match(await page.locator('[data-metadata]').textContent(), /No pull requests, work items or pipelines/);
  });

  await t.step('a backup saves the project\'s metadata, listed with counts by kind', async () => {
    await page.getByRole('button', { name: 'Run backup' }).click();
    await page.locator('[data-runs] tbody tr').first().waitFor();
    await latestRunSucceeds(page);
    const link = page.locator('[data-metadata]').getByRole('link', { name: project, exact: true });
    await link.waitFor();
    const row = page.locator('[data-metadata] tr', { has: page.getByRole('link', { name: project, exact: true }) });
    assert.equal(await count(row, 'workItem'), workItems);
    assert.equal(await row.locator('[data-kind="workItem"]').textContent(), `${workItems} work items`);
    assert.equal(await row.locator('[data-kind="buildDefinition"]').textContent(), '1 build pipeline');
    await t.checkAccessibility();
    const projectHref = await link.getAttribute('href');
    await page.locator('[data-runs] tbody tr').first().getByRole('link').click();
    const result = page.locator('tr', { has: page.locator('[data-metadata-result]') }).filter({ hasText: project })
      .locator('[data-metadata-result]');
    await result.waitFor();
    assert.equal(await result.getAttribute('href'), projectHref, 'the run links to the project\'s metadata');
    // Secret variables cannot be read: the run says so instead of a plain "Succeeded".
    const omissions = page.locator('[data-run-omissions]');
    await omissions.waitFor();
    assert.equal(await page.locator('[data-run-status]').textContent(), 'Succeeded with omissions');
    assert.match(await omissions.locator('h2').textContent(), /^\d+ items were not backed up$/);
    assert.ok(Number(await omissions.locator('[data-not-backed-up]').getAttribute('data-not-backed-up'))
      >= secretValues.length + 2, 'every secret the project\'s snapshot lists');
    await t.checkAccessibility();
    await page.screenshot({ path: `${t.shots}/run-succeeded-with-omissions.png`, fullPage: true });
    await page.goBack();
  });

  let snapshotId;
  await t.step('the project\'s snapshot says what it holds and what was not backed up', async () => {
    await page.locator('[data-metadata]').getByRole('link', { name: project, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Metadata of ${project}` }).waitFor();
    const snapshot = page.locator('[data-metadata-snapshot]').first();
    snapshotId = await snapshot.getAttribute('data-metadata-snapshot');
    assert.equal(await count(snapshot, 'workItem'), workItems);
    assert.equal(await count(snapshot, 'pullRequest'), 1);
    assert.equal(await count(snapshot, 'buildDefinition'), 1);
    assert.equal(await count(snapshot, 'variableGroup'), 1);
    assert.equal(await count(snapshot, 'attachment'), 1);
    const omitted = snapshot.locator('[data-not-backed-up]');
    const listed = Number(await omitted.getAttribute('data-not-backed-up'));
    assert.equal(listed, secretValues.length + 2,
      'the group\'s secret variables, the pipeline\'s, and other people\'s personal queries');
    const line = omitted.getByRole('listitem').filter({ hasText: secretVariable });
    assert.equal(await line.isVisible(), false, 'a long list starts collapsed');
    await omitted.getByText(`${listed} items were not backed up`).click();
    assert.match(await line.textContent(), new RegExp(`^Secret variable of a variable group \\d+/${secretVariable}: .*cannot be read`));
    assert.ok(await omitted.getByText('Secret pipeline variable').first().isVisible());
    await t.checkAccessibility();
  });

  await t.step('downloads the snapshot as a zip of JSON files', async () => {
    const downloaded = page.waitForEvent('download', { timeout: 120000 });
    await page.locator(`[data-download-zip="${snapshotId}"]`).click();
    const file = path.join(t.shots, `${project}-metadata.zip`);
    await (await downloaded).saveAs(file);
    const entries = unzip(fs.readFileSync(file));
    const names = [...entries.keys()];
    assert.ok(entries.has('snapshot.json'), `entries: ${names.slice(0, 20).join(', ')}`);
    assert.equal(JSON.parse(entries.get('snapshot.json')).snapshotId, snapshotId);
    assert.equal(names.filter((name) => /^workItem\/[^/]+\.json$/.test(name)).length, workItems);
    assert.ok(names.some((name) => name.startsWith('variableGroup/')));
    for (const [name, content] of entries) {
      for (const secret of [...secretValues, 's1gn-me-ci']) {
        assert.ok(!content.includes(secret), `${name} holds no secret value`);
      }
    }
    await page.locator('[data-download-link="zip"]').waitFor();
  });

  await t.step('restores the snapshot into an empty project and shows what it created', async () => {
    await page.locator(`[data-metadata-restore="${snapshotId}"]`).click();
    const panel = page.locator('#metadata-restore-panel');
    await panel.getByRole('button', { name: 'Restore' }).click();
    await panel.locator('[data-field="target.project"] > .field-error').waitFor();
    await panel.getByLabel('Existing project name').fill(targetProject);
    await panel.getByRole('button', { name: 'Preview what it would do' }).click();
    const plan = panel.locator('[data-metadata-restore-plan]');
    await plan.waitFor({ timeout: 60000 });
    assert.equal(await count(plan, 'workItem'), workItems);
    assert.match(await plan.textContent(), /Nothing was written/);
    assert.equal((await ado('build/definitions?api-version=7.1')).count, 0, 'a preview writes nothing');
    await panel.getByRole('button', { name: 'Restore' }).click();
    await panel.locator('[data-metadata-restore-done], [data-metadata-restore-failed]').waitFor({ timeout: 120000 });
    assert.equal(await panel.locator('[data-metadata-restore-failed]').count(), 0,
      await panel.locator('[data-metadata-restore-status]').textContent());
    const done = panel.locator('[data-metadata-restore-done]');
    assert.equal(await count(done, 'workItem'), workItems);
    assert.equal(await count(done, 'buildDefinition'), 1);
    assert.match(await done.textContent(), new RegExp(`Created in ${targetProject}`));
    assert.equal((await ado('build/definitions?api-version=7.1')).count, 1, 'the pipeline is in the target project');
    const html = await page.content();
    assert.ok(!html.includes(pat), 'the token appears nowhere in the page');
    assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
    await t.checkAccessibility();
  });

  await t.step('shows a project\'s metadata on a narrow screen', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await page.locator('[data-metadata-snapshot]').first().waitFor();
    await assertFitsTheScreen(page);
    await t.checkAccessibility();
  });
});

// The credentials list and Azure DevOps Server against the real app (devhost + Azurite + the
// sandbox Azure DevOps server): save a named token, connect an organization with it in advanced
// mode, remove an unused token, be told clearly why a token in use cannot be removed (409), and
// register a Server collection with a username and token from its tile, then back it up; remove
// it in the console's dialog and connect it again: the same token reuses its credential, a new one
// gets its own and the old one shows as unused; and a failing organization's page says why. No
// token may stay in the page or in browser storage.
//
// Environment (set by the Java test that starts the parts):
//   BUNKER_URL                 devhost, e.g. http://localhost:PORT
//   COLLECTION_URL             a sandbox Azure DevOps Server collection, e.g. http://127.0.0.1:PORT/tfs/DefaultCollection
//   COLLECTION_USERNAME, COLLECTION_PAT  what to sign in to it with
//   COLLECTION_NEW_PAT         another token the collection accepts
//   COLLECTION_REPOSITORY      a repository of the collection a backup must protect
//   SAVED_CREDENTIAL_ORG_URL   a sandbox organization to connect with a saved credential
//   SAVED_PAT, SPARE_PAT       two tokens the sandbox accepts
//   FAILING_ORG_URL            a sandbox organization registered with a token revoked since
import assert from 'node:assert/strict';
import { assertFitsTheScreen, connected, consoleUrl, eventually, latestRunSucceeds, requiredEnv, session } from './harness.mjs';

const collectionUrl = requiredEnv('COLLECTION_URL');
const collectionUsername = requiredEnv('COLLECTION_USERNAME');
const collectionPat = requiredEnv('COLLECTION_PAT');
const collectionNewPat = requiredEnv('COLLECTION_NEW_PAT');
const collectionRepository = requiredEnv('COLLECTION_REPOSITORY');
const savedOrgUrl = requiredEnv('SAVED_CREDENTIAL_ORG_URL');
const savedPat = requiredEnv('SAVED_PAT');
const sparePat = requiredEnv('SPARE_PAT');
const failingOrgUrl = requiredEnv('FAILING_ORG_URL');
const secrets = [collectionPat, collectionNewPat, savedPat, sparePat];

await session('console-server-credentials', async (t) => {
  const { page } = t;
  const credentialRow = (name) => page.locator('[data-credentials] tr', { hasText: name });

  /** Nothing secret in the page's markup, its form fields, or browser storage. */
  const assertNoSecretKept = async () => {
    const html = await page.content();
    const values = await page.evaluate(() => [...document.querySelectorAll('input, textarea, select')].map((e) => e.value));
    const stored = await page.evaluate(() => [localStorage, sessionStorage]
      .flatMap((storage) => Object.keys(storage).map((key) => `${key}=${storage.getItem(key)}`)));
    for (const secret of secrets) {
      assert.ok(!html.includes(secret), 'a token appears in the page');
      assert.ok(!values.some((value) => value.includes(secret)), 'a token is left in a form field');
      assert.ok(!stored.some((entry) => entry.includes(secret)), 'a token is in browser storage');
    }
    assert.deepEqual(stored, [], 'the console keeps nothing in browser storage');
  };

  const addCredential = async (name, token) => {
    await page.goto(`${consoleUrl}#/credentials`);
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Personal access token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Save credential' }).click();
    await credentialRow(name).waitFor();
  };

  /** Advanced mode for Azure DevOps Server: the collection with the username and `token`. */
  const connectCollection = async (token) => {
    await page.goto(`${consoleUrl}#/connect/advanced/server`);
    await page.getByLabel('Collection URL', { exact: true }).fill(collectionUrl);
    await page.getByLabel('Username (optional)').fill(collectionUsername);
    await page.getByLabel('Personal access token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Proceed' }).click();
    await connected(page, collectionUrl);
  };

  /** On the collection's page: Remove organization, confirmed in the console's dialog. */
  const removeCollection = async () => {
    await page.getByRole('button', { name: 'Remove organization' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove organization' }).click();
    await page.waitForURL(/#\/organizations$/);
    await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
  };

  /** The credentials Bunker named for the collection, as they are listed. */
  const collectionCredentials = async () => {
    await page.goto(`${consoleUrl}#/credentials`);
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    await page.locator('[data-credentials] table').waitFor();
    return page.locator('[data-credentials] tbody tr', { hasText: `PAT for ${collectionUrl}` });
  };

  const runBackupToTheEnd = async () => {
    await page.getByRole('button', { name: 'Run backup' }).click();
    await page.locator('[data-runs] tbody tr').first().waitFor();
    await latestRunSucceeds(page);
  };

  await t.step('saves a named token in the credentials list without keeping it', async () => {
    await addCredential('Build service token', savedPat);
    assert.match(await credentialRow('Build service token').textContent(), /Personal access token/);
    assert.equal(await page.getByLabel('Personal access token', { exact: true }).inputValue(), '');
    assert.ok(await page.getByLabel('Enter it now').isChecked(), 'the form is ready for the next token');
    await assertNoSecretKept();
    await t.checkAccessibility();
  });

  await t.step('connects an organization with the saved credential in advanced mode', async () => {
    await page.goto(`${consoleUrl}#/connect/advanced/cloud`);
    await page.getByLabel('Organization URL', { exact: true }).fill(savedOrgUrl);
    await page.getByLabel('A saved credential').check();
    await page.getByLabel('Saved credential', { exact: true }).selectOption({ label: 'Build service token' });
    await page.getByRole('button', { name: 'Proceed' }).click();
    await connected(page, savedOrgUrl);
    await assertNoSecretKept();
  });

  await t.step('removes a credential that no organization uses', async () => {
    await addCredential('Spare token', sparePat);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Remove Spare token' }).click();
    await eventually('the removed credential to leave the list', async () => (await credentialRow('Spare token').count()) === 0);
    assert.equal(await credentialRow('Build service token').count(), 1);
  });

  await t.step('says which organization still signs in with a credential it cannot remove', async () => {
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Remove Build service token' }).click();
    const problem = page.locator('[data-remove-failed]');
    await problem.waitFor();
    assert.equal(await problem.getAttribute('role'), 'alert');
    const text = await problem.textContent();
    assert.match(text, /Build service token is still in use/);
    assert.ok(text.includes(savedOrgUrl), `the message names the organization: ${text}`);
    await problem.getByRole('link', { name: savedOrgUrl }).waitFor();
    assert.equal(await credentialRow('Build service token').count(), 1, 'the credential is kept');
    await t.checkAccessibility();
  });

  await t.step('registers an Azure DevOps Server collection with a username and token', async () => {
    await page.goto(`${consoleUrl}#/connect`);
    await page.getByRole('link', { name: 'Set up Azure DevOps Server' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connect with a personal access token' }).waitFor();
    assert.ok(await page.getByLabel('Azure DevOps Server').isChecked());
    await connectCollection(collectionPat);
    await assertNoSecretKept();
  });

  await t.step('backs up the collection', async () => {
    await runBackupToTheEnd();
    await page.locator('[data-repositories]').getByRole('link', { name: collectionRepository, exact: true }).waitFor();
    await t.checkAccessibility();
  });

  await t.step('removes an organization in the console\'s own dialog, which says what is kept', async () => {
    await page.getByRole('button', { name: 'Remove organization' }).click();
    const dialog = page.getByRole('dialog', { name: `Stop backing up ${collectionUrl}?` });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /It keeps:.*every snapshot.*credential it signs in with/s);
    assert.equal(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement), true,
      'focus starts on Cancel');
    await t.checkAccessibility();
    await page.screenshot({ path: `${t.shots}/remove-organization-dialog.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('heading', { level: 1, name: collectionUrl }).count(), 1, 'nothing removed');
    await removeCollection();
    assert.equal(await page.getByRole('link', { name: collectionUrl, exact: true }).count(), 0);
  });

  await t.step('connecting again with the same token reuses its credential', async () => {
    await connectCollection(collectionPat);
    const rows = await collectionCredentials();
    assert.equal(await rows.count(), 1, 'one credential for one token');
    assert.match(await rows.first().textContent(), /\(added \d{4}-\d{2}-\d{2}\)/);
    await rows.first().getByRole('link', { name: collectionUrl }).waitFor();
    await assertNoSecretKept();
  });

  await t.step('a new token gets a credential of its own, and the old one is marked unused', async () => {
    await page.goto(`${consoleUrl}#/organizations`);
    await page.getByRole('link', { name: collectionUrl, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: collectionUrl }).waitFor();
    await removeCollection();
    await connectCollection(collectionNewPat);
    const rows = await collectionCredentials();
    assert.equal(await rows.count(), 2);
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.notEqual(names[0], names[1], `the names tell them apart: ${names}`);
    assert.equal(await rows.filter({ has: page.locator('[data-unused]') }).count(), 1, 'the old one is marked unused');
    await rows.filter({ has: page.getByRole('link', { name: collectionUrl }) }).waitFor();
    await assertNoSecretKept();
    await t.checkAccessibility();
  });

  await t.step('says on a failing organization\'s page why its last backup failed and what to do', async () => {
    await page.goto(`${consoleUrl}#/organizations`);
    await page.getByRole('link', { name: failingOrgUrl, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: failingOrgUrl }).waitFor();
    await page.getByRole('button', { name: 'Run backup' }).click();
    const problem = page.locator('[data-last-run-problem]');
    await problem.waitFor({ timeout: 60000 });
    const text = await problem.textContent();
    assert.match(text, /The last backup could not list the repositories/);
    assert.match(text, /not accepted/, `the reason is on the page: ${text}`);
    assert.match(await problem.locator('[data-advice]').textContent(), /new personal access token/);
    await problem.getByRole('link', { name: 'See the run' }).waitFor();
    await t.checkAccessibility();
  });

  await t.step('keeps no token anywhere in the browser, and lists credentials on a narrow screen', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${consoleUrl}#/credentials`);
    await credentialRow('Build service token').waitFor();
    await assertNoSecretKept();
    await assertFitsTheScreen(page);
  });
});

// The console end to end against the real app (devhost + Azurite + the sandbox Azure DevOps
// server), as an admin would use it: field errors for bad input, add an organization by PAT in
// advanced mode, change its policy, run a backup and watch it finish, download a snapshot as a
// bundle and check it with git, restore a snapshot to a new repository and into an existing empty
// one (and not over history), and connect organizations through the OAuth popup (against
// mock-oauth2-server behind a stand-in for Entra ID that records each sign-in request), with and
// without consent on behalf of the organization.
//
// Environment (set by the Java test that starts the parts):
//   BUNKER_URL        devhost, e.g. http://localhost:PORT
//   ORG_URL, PAT      a sandbox organization and a token it accepts
//   PROJECT           a project of that organization (restores go there)
//   REPOSITORIES      comma-separated names of the repositories a backup must protect
//   EMPTY_REPOSITORY  (optional) an existing empty repository of PROJECT to restore into
//   OAUTH_ORG_URL     (optional) another sandbox organization to connect by OAuth
//   ADMIN_CONSENT_ORG_URL, ENTRA_URL (optional) one more to connect with admin consent, and the
//                     Entra stand-in whose GET /recorded/requests lists the sign-in requests
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertFitsTheScreen, connected, consoleUrl, eventually, latestRunSucceeds, requiredEnv, session } from './harness.mjs';

const orgUrl = requiredEnv('ORG_URL');
const pat = requiredEnv('PAT');
const project = requiredEnv('PROJECT');
const repositories = requiredEnv('REPOSITORIES').split(',').map((name) => name.trim()).filter(Boolean);
const emptyRepository = process.env.EMPTY_REPOSITORY;
const oauthOrgUrl = process.env.OAUTH_ORG_URL;
const adminConsentOrgUrl = process.env.ADMIN_CONSENT_ORG_URL;
const entraUrl = process.env.ENTRA_URL;

const git = (...args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const gitAuth = `http.extraHeader=Authorization: Basic ${Buffer.from(`:${pat}`).toString('base64')}`;
const remoteOf = (name) => `${orgUrl}/${encodeURIComponent(project)}/_git/${encodeURIComponent(name)}`;

/** The sign-in requests (authorize, adminconsent) the Entra stand-in received, oldest first. */
async function entraRequests() {
  return (await fetch(`${entraUrl}/recorded/requests`)).json();
}

/** Connect on the Azure DevOps tile: the sign-in popup opens. */
async function startSignIn(page, organizationUrl, { adminConsent }) {
  await page.goto(`${consoleUrl}#/connect`);
  await page.getByLabel('Organization URL', { exact: true }).fill(organizationUrl);
  await page.getByLabel('Consent on behalf of your organization').setChecked(adminConsent);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect' }).click();
  const popup = await popupOpened;
  await page.getByText('Waiting for you to sign in').waitFor();
  return popup;
}

/** Signs in in the popup and lands on the new organization. */
async function finishSignIn(page, popup, organizationUrl) {
  // The mock OAuth server's sign-in form, when it shows one; without one the popup may finish
  // and close itself before it could be looked at.
  await popup.waitForLoadState().catch(() => {});
  const login = popup.locator('input[name="username"]');
  if (!popup.isClosed() && await login.count().catch(() => 0)) {
    await login.fill('admin@contoso.example');
    await popup.locator('input[type="submit"], button[type="submit"]').first().click();
  }
  await connected(page, organizationUrl);
  assert.match(await page.locator('.facts').first().textContent(), /Microsoft Entra ID \(OAuth\)/);
}

await session('console-e2e', async (t) => {
  const { page } = t;
  const errorOf = (name) => page.locator(`[data-field="${name}"] > .field-error`);
  let organizationPath;

  await t.step('checks the schedule in the browser and keeps the token until the form passes', async () => {
    await page.goto(`${consoleUrl}#/connect/advanced/cloud`);
    await page.getByLabel('Organization URL', { exact: true }).fill(orgUrl);
    await page.getByLabel('Personal access token', { exact: true }).fill(pat);
    const registrations = [];
    const onRequest = (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/organizations') registrations.push(request);
    };
    page.on('request', onRequest);
    await page.getByLabel('Every N hours').check();
    await page.getByLabel('Every how many hours').fill('99');
    await page.getByRole('button', { name: 'Proceed' }).click();
    await errorOf('policy.schedule.everyHours').waitFor();
    assert.match(await errorOf('policy.schedule.everyHours').textContent(), /whole number of hours from 1 to 24/);
    assert.equal(await page.locator('.error-summary').getAttribute('role'), 'alert');
    assert.match(await page.locator('.error-summary').textContent(), /token is still in the form/);

    await page.getByLabel('Every how many hours').fill('2.5');
    await page.getByLabel('Time zone').fill('Europe/Atlantis');
    await page.getByRole('button', { name: 'Proceed' }).click();
    await errorOf('policy.schedule.timeZone').waitFor();
    assert.match(await errorOf('policy.schedule.timeZone').textContent(), /"Europe\/Atlantis" is not a time zone/);
    assert.ok(await errorOf('policy.schedule.everyHours').isVisible(), '2.5 is no whole number');
    page.off('request', onRequest);
    assert.equal(registrations.length, 0, 'nothing was sent');
    assert.equal(await page.getByLabel('Personal access token', { exact: true }).inputValue(), pat,
      'the token stays in its field');
    assert.ok(!(await page.content()).includes(pat), 'the token is in no attribute or text of the page');
    assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'nor in storage');
    await t.checkAccessibility();
  });

  await t.step('refuses an organization URL off the allow-list, next to the URL field', async () => {
    await page.getByLabel('Organization URL', { exact: true }).fill('https://example.com/not-azure-devops');
    await page.getByLabel('Every how many hours').fill('6');
    await page.getByLabel('Time zone').fill('Europe/Warsaw');
    await page.getByRole('button', { name: 'Proceed' }).click();
    await errorOf('url').waitFor();
    assert.ok(await errorOf('url').isVisible(),
      `no error next to the URL; the form says: ${await page.locator('.error-summary').textContent()}`);
    assert.equal(await page.getByLabel('Personal access token', { exact: true }).inputValue(), '',
      'a token that was sent is not kept in the page');
  });

  await t.step('adds the organization by PAT in advanced mode', async () => {
    await page.getByLabel('At these hours of the day').check();
    const hours = page.getByRole('group', { name: 'Hours of the day' });
    await hours.getByLabel('01:00').uncheck();
    await hours.getByLabel('02:00').check();
    await hours.getByLabel('14:00').check();
    await page.getByLabel('Organization URL', { exact: true }).fill(orgUrl);
    await page.getByLabel('Personal access token', { exact: true }).fill(pat);
    await page.getByRole('button', { name: 'Proceed' }).click();
    await connected(page, orgUrl);
    organizationPath = new URL(page.url()).hash.replace(/\?.*$/, '');
    assert.match(await page.locator('[data-policy-summary]').textContent(), /at 02:00, 14:00 /);
    const html = await page.content();
    assert.ok(!html.includes(pat), 'the token appears nowhere in the page');
    assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
    await t.checkAccessibility();
  });

  await t.step('changes the policy with Custom policy', async () => {
    await page.getByRole('button', { name: 'Custom policy' }).click();
    const editor = page.locator('#policy-editor');
    await editor.getByLabel('Every N hours').check();
    await editor.getByLabel('Every how many hours').fill('0');
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await editor.locator('[data-field="schedule.everyHours"] > .field-error').waitFor();
    await editor.getByLabel('Every how many hours').fill('6');
    await editor.getByLabel('Keep the last (snapshots)').fill('10');
    const nextBackup = page.locator('[data-next-backup]');
    const before = await nextBackup.getAttribute('data-next-backup');
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await eventually('the new policy summary', async () =>
      /every 6 hours/.test(await page.locator('[data-policy-summary]').textContent()));
    // Every 6 hours from midnight in Warsaw: the next backup moves, without a reload.
    const slot = await eventually('the next backup to move', async () => {
      const now = await nextBackup.getAttribute('data-next-backup');
      return now !== before && now;
    });
    const warsawHour = Number(new Date(slot).toLocaleString('en-GB', { timeZone: 'Europe/Warsaw', hour: '2-digit', hourCycle: 'h23' }));
    assert.equal(warsawHour % 6, 0, `${slot} is at a 6-hour slot in Warsaw`);
    const shown = await nextBackup.textContent();
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.ok(shown.includes(`(${browserZone})`), `the browser's zone is named: ${shown}`);
    if (browserZone !== 'Europe/Warsaw') assert.match(shown, /\(Europe\/Warsaw\)/, 'and the policy\'s zone');
    await page.reload();
    await eventually('the saved policy after a reload', async () =>
      /every 6 hours.*keeps the last 10/.test(await page.locator('[data-policy-summary]').textContent()));
  });

  await t.step('says which kind a URL connects as, and links an organization that is already connected', async () => {
    await page.goto(`${consoleUrl}#/connect/advanced/cloud`);
    const kindNote = page.locator('[data-kind-note]');
    await page.getByLabel('Organization URL', { exact: true }).fill('https://dev.azure.com/contoso');
    assert.equal(await kindNote.isVisible(), false, 'a cloud URL on the cloud choice needs no note');
    // The sandbox serves organizations at its own host, as a server would be.
    await page.getByLabel('Organization URL', { exact: true }).fill(orgUrl);
    await kindNote.waitFor();
    assert.match(await kindNote.textContent(), /not an Azure DevOps \(cloud\) address.*as Azure DevOps Server/);
    await page.getByLabel('Personal access token', { exact: true }).fill(pat);
    await page.getByRole('button', { name: 'Proceed' }).click();
    const existing = page.locator('[data-existing-organization]');
    await existing.waitFor();
    assert.match(await errorOf('url').textContent(), /already connected/);
    assert.ok(!(await page.locator('.error-summary').textContent()).includes(organizationPath.split('/').pop()),
      'no internal id in the words');
    await t.checkAccessibility();
    await page.screenshot({ path: `${t.shots}/organization-already-connected.png`, fullPage: true });
    await existing.getByRole('link', { name: orgUrl }).click();
    await page.waitForURL(new RegExp(`${organizationPath}$`));
    await page.getByRole('heading', { level: 1, name: orgUrl }).waitFor();
  });

  await t.step('runs a backup and shows its progress', async () => {
    await page.getByRole('button', { name: 'Run backup' }).click();
    await page.locator('[data-runs] tbody tr').first().waitFor();
  });

  await t.step('the backup finishes with every repository protected', async () => {
    await latestRunSucceeds(page);
    for (const name of repositories) {
      await page.locator('[data-repositories]').getByRole('link', { name, exact: true }).waitFor();
    }
    await eventually('the summary to show the finished run', async () =>
      (await page.locator('[data-last-run] [data-status]').getAttribute('data-status')) === 'succeeded');
  });

  await t.step('the run lists each repository with its snapshot', async () => {
    await page.locator('[data-runs] tbody tr').first().getByRole('link').click();
    await page.locator('[data-run-status]').waitFor();
    assert.equal(await page.locator('[data-run-status]').getAttribute('data-run-status').then((s) => s.toLowerCase()), 'succeeded');
    assert.equal(await page.locator('[data-failures]').count(), 0);
    const counted = /(\d+) of (\d+) done \((\d+) repositor(?:y|ies), (\d+) projects?'s? metadata\)/
      .exec(await page.locator('[data-run-progress]').textContent());
    assert.ok(counted, 'repositories and projects\' metadata are counted apart');
    const [, done, total, repositoryCount, metadataCount] = counted.map(Number);
    assert.equal(done, total);
    assert.equal(repositoryCount + metadataCount, total);
    assert.ok(repositoryCount >= repositories.length && metadataCount >= 1, counted[0]);
    assert.equal(await page.getByRole('link', { name: /^metadata-/ }).count(), 0,
      'a project\'s metadata is no repository to link to');
    for (const name of repositories) {
      const row = page.locator('tr', { has: page.getByRole('link', { name, exact: true }) });
      assert.equal(await row.locator('[data-status]').getAttribute('data-status'), 'succeeded');
    }
    await t.checkAccessibility();
  });

  const repository = repositories[0];
  let snapshotId;

  await t.step('downloads a snapshot as a git bundle', async () => {
    await page.goto(`${consoleUrl}${organizationPath}`);
    await page.locator('[data-repositories]').getByRole('link', { name: repository, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: repository }).waitFor();
    const download = page.locator('[data-download]').first();
    snapshotId = await download.getAttribute('data-download');
    const downloaded = page.waitForEvent('download', { timeout: 120000 });
    await download.click();
    const file = path.join(t.shots, `${repository}.bundle`);
    assert.equal((await downloaded).suggestedFilename(), `${project}-${repository}-${snapshotId}.bundle`);
    await (await downloaded).saveAs(file);
    const heads = git('bundle', 'list-heads', file);
    assert.match(heads, /refs\/heads\//, 'the bundle holds branches');
    const clone = path.join(t.shots, `${repository}-clone`);
    fs.rmSync(clone, { recursive: true, force: true });
    git('clone', '--quiet', '--mirror', file, clone);
    git('-C', clone, 'fsck', '--no-progress');
  });

  await t.step('lists the refs of a snapshot', async () => {
    const row = page.locator('tr', { has: page.locator(`[data-download="${snapshotId}"]`) });
    await row.locator('details.refs summary').click();
    const refs = row.locator(`[data-refs="${snapshotId}"] li`);
    await refs.first().waitFor();
    const names = await refs.locator('code:first-child').allTextContents();
    assert.ok(names.some((name) => name.startsWith('refs/heads/')), `branches are listed: ${names}`);
    assert.ok(names.includes('refs/tags/v1'), `tags are listed: ${names}`);
    await t.checkAccessibility();
  });

  await t.step('restores the snapshot to a new repository', async () => {
    const target = `${repository}-restored-e2e`;
    await page.locator(`[data-restore="${snapshotId}"]`).click();
    const panel = page.locator('#restore-panel');
    await panel.getByLabel('Project').fill(project);
    await panel.getByLabel('New repository name').fill(target);
    await panel.getByRole('button', { name: 'Restore' }).click();
    await panel.locator('[data-restore-done], [data-restore-failed]').waitFor({ timeout: 120000 });
    assert.equal(await panel.locator('[data-restore-failed]').count(), 0,
      await panel.locator('[data-restore-status]').textContent());
    const refs = git('-c', gitAuth, 'ls-remote', remoteOf(target));
    assert.match(refs, /refs\/heads\//, 'the new repository has the snapshot\'s branches');
    await t.checkAccessibility();
  });

  if (emptyRepository) {
    const restoreInto = async (name) => {
      await page.locator(`[data-restore="${snapshotId}"]`).click();
      const panel = page.locator('#restore-panel');
      await panel.getByLabel('An existing empty repository').check();
      assert.match(await panel.locator('[data-restore-explanation]').textContent(), /must already exist and be empty/);
      await panel.getByLabel('Project').fill(project);
      await panel.getByLabel('Existing repository name').fill(name);
      await panel.getByRole('button', { name: 'Restore' }).click();
      await panel.locator('[data-restore-done], [data-restore-failed]').waitFor({ timeout: 120000 });
      return panel;
    };

    await t.step('restores the snapshot into an existing empty repository', async () => {
      assert.equal(git('-c', gitAuth, 'ls-remote', remoteOf(emptyRepository)).trim(), '', 'the target starts empty');
      const panel = await restoreInto(emptyRepository);
      assert.equal(await panel.locator('[data-restore-failed]').count(), 0,
        await panel.locator('[data-restore-status]').textContent());
      assert.match(await panel.locator('[data-restore-done]').textContent(), new RegExp(`${project}/${emptyRepository}`));
      assert.match(git('-c', gitAuth, 'ls-remote', remoteOf(emptyRepository)), /refs\/heads\//);
      await t.checkAccessibility();
    });

    await t.step('refuses to restore over a repository that has history', async () => {
      const other = repositories.find((name) => name !== repository) || repository;
      const before = git('-c', gitAuth, 'ls-remote', remoteOf(other));
      const panel = await restoreInto(other);
      assert.match(await panel.locator('[data-restore-failed]').textContent(), /not empty/);
      assert.equal(git('-c', gitAuth, 'ls-remote', remoteOf(other)), before, 'the repository is unchanged');
    });
  } else {
    console.log('# restore into an existing repository skipped: EMPTY_REPOSITORY is not set');
  }

  await t.step('shows the organization on a narrow screen', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${consoleUrl}${organizationPath}`);
    await page.locator('[data-runs] tbody tr').first().waitFor();
    await assertFitsTheScreen(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  if (oauthOrgUrl) {
    await t.step('connects an organization through the OAuth popup', async () => {
      const before = entraUrl ? (await entraRequests()).length : 0;
      await finishSignIn(page, await startSignIn(page, oauthOrgUrl, { adminConsent: false }), oauthOrgUrl);
      if (entraUrl) {
        const sent = (await entraRequests()).slice(before);
        assert.deepEqual(sent.map((request) => request.endpoint), ['authorize'], 'no admin consent was asked for');
        assert.equal(sent[0].prompt, 'consent', 'the user consents for themselves');
      }
    });
  } else {
    console.log('# OAuth popup step skipped: OAUTH_ORG_URL is not set');
  }

  if (adminConsentOrgUrl && entraUrl) {
    await t.step('connects nothing when the administrator cancels the consent for the organization', async () => {
      const popup = await startSignIn(page, adminConsentOrgUrl, { adminConsent: true });
      await popup.getByRole('heading', { name: 'Permissions requested' }).waitFor();
      await popup.getByRole('button', { name: 'Cancel' }).click();
      const problem = page.locator('.oauth-status [role="alert"]');
      await problem.waitFor({ timeout: 30000 });
      assert.match(await problem.textContent(), /did not connect.*access_denied.*AADSTS65004/s);
      const last = (await entraRequests()).at(-1);
      assert.equal(last.endpoint, 'adminconsent', 'nobody signed in after the administrator cancelled');
    });

    let consentPage;
    await t.step('asks an administrator to consent on behalf of the organization', async () => {
      const before = (await entraRequests()).length;
      consentPage = await startSignIn(page, adminConsentOrgUrl, { adminConsent: true });
      await consentPage.getByRole('heading', { name: 'Permissions requested' }).waitFor();
      const [request] = (await entraRequests()).slice(before);
      assert.equal(request.endpoint, 'adminconsent');
      assert.match(request.scope, /499b84ac-1321-427f-aa17-267ca6975798\/\.default/, 'Azure DevOps is what is asked for');
      assert.ok(request.state, 'the request carries Bunker\'s state');
      return consentPage;
    });

    await t.step('connects the organization once the administrator accepted', async () => {
      const before = (await entraRequests()).length;
      await consentPage.getByRole('button', { name: 'Accept' }).click();
      await finishSignIn(page, consentPage, adminConsentOrgUrl);
      const sent = (await entraRequests()).slice(before);
      assert.deepEqual(sent.map((request) => request.endpoint), ['authorize'], 'then one sign-in for the code');
      assert.equal(sent[0].prompt, undefined, 'nobody is asked to consent again');
      assert.equal(sent[0].code_challenge_method, 'S256');
      await page.goto(`${consoleUrl}#/organizations`);
      await page.getByRole('link', { name: adminConsentOrgUrl, exact: true }).waitFor();
    });
  } else {
    console.log('# admin consent steps skipped: ADMIN_CONSENT_ORG_URL or ENTRA_URL is not set');
  }
});

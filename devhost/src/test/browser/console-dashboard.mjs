// The dashboard and the audit trail against the real app (devhost + Azurite + the sandbox Azure
// DevOps server): back up an organization twice from its page (one repository of it cannot be
// fetched), then the dashboard counts its repositories by status, lists the failing one with its
// error, and draws stored bytes, run durations and failures per day, each chart with its numbers as
// a table; on a phone too, beside an organization whose long URL has no hyphen to break at. The
// audit trail lists the registration and both runs, newest first, filters them and pages with More.
//
// Environment (set by the Java test that starts the parts):
//   BUNKER_URL               devhost, e.g. http://localhost:PORT
//   ORG_URL                  a sandbox organization registered with Bunker, never backed up yet
//   PROTECTED_REPOSITORIES   its repositories a backup protects, comma-separated
//   FAILING_REPOSITORY       its repository whose backups fail
//   LONG_ORG_URL             another registered organization, its URL one long word
import assert from 'node:assert/strict';
import { assertFitsTheScreen, consoleUrl, eventually, requiredEnv, session } from './harness.mjs';

const orgUrl = requiredEnv('ORG_URL');
const protectedRepositories = requiredEnv('PROTECTED_REPOSITORIES').split(',');
const failingRepository = requiredEnv('FAILING_REPOSITORY');
const longOrgUrl = requiredEnv('LONG_ORG_URL');
const FINISHED = new Set(['succeeded', 'partiallysucceeded', 'failed']);

await session('console-dashboard', async (t) => {
  const { page } = t;
  let organizationId;
  const section = () => page.locator(`[data-report-organization="${organizationId}"]`);
  const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  const chart = (title) => section().locator('figure.chart', { has: page.getByRole('heading', { name: title }) });

  /** Starts a backup on the organization's page and waits until the run has finished. */
  const backUp = async () => {
    await page.goto(`${consoleUrl}#/organizations`);
    await page.getByRole('link', { name: orgUrl, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: orgUrl }).waitFor();
    organizationId = decodeURIComponent(page.url().split('#/organizations/')[1]);
    const before = await page.locator('[data-runs] tbody tr').count();
    await page.getByRole('button', { name: 'Run backup' }).click();
    await page.getByRole('heading', { level: 1, name: orgUrl }).waitFor();
    await eventually('the run to finish', async () => {
      await page.goto(`${consoleUrl}#/organizations/${encodeURIComponent(organizationId)}`);
      const rows = page.locator('[data-runs] tbody tr');
      await rows.first().waitFor();
      if (await rows.count() <= before) return false;
      return FINISHED.has(await rows.first().locator('[data-status]').getAttribute('data-status'));
    }, { timeoutMs: 180000, intervalMs: 1000 });
  };

  await t.step('backs the organization up twice from its page', async () => {
    await backUp();
    await backUp();
  });

  await t.step('counts the organization\'s repositories by status on the dashboard', async () => {
    await page.goto(`${consoleUrl}#/organizations`);
    await page.locator('#announcer').waitFor({ state: 'hidden' }); // the run's toast, for a clean screenshot
    await nav('Dashboard').click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await section().waitFor();
    assert.equal(await nav('Dashboard').getAttribute('aria-current'), 'page');
    const count = async (status) => Number(await section().locator(`[data-count="${status}"] strong`).textContent());
    // the project's metadata scopes are protected too
    assert.ok(await count('protected') >= protectedRepositories.length, 'the fetched repositories are protected');
    assert.equal(await count('failing'), 1);
    assert.equal(await count('atrisk'), 0);
    assert.match(await section().locator('[data-count="failing"]').textContent(), /1\s*failing/,
      'the count says its status in words');
  });

  await t.step('lists the failing repository with its last error and the age of its backup', async () => {
    const rows = section().locator('[data-attention] tbody tr');
    assert.equal(await rows.count(), 1, 'only the failing repository needs attention');
    const row = rows.first();
    assert.match(await row.getByRole('link').textContent(), new RegExp(`/ ${failingRepository}$`));
    assert.equal(await row.locator('[data-status]').textContent(), 'Failing');
    assert.match(await row.locator('.last-error').textContent(), /\S/, 'the error is shown');
    assert.match(await row.textContent(), /Never/, 'it was never backed up');
    await t.checkAccessibility();
  });

  await t.step('draws stored bytes, run durations and failures per day, with the numbers as tables', async () => {
    for (const title of ['Stored bytes', 'Run durations', 'Failures per day']) {
      const figure = chart(title);
      await figure.locator('canvas').first().waitFor();
      const drawn = await figure.locator('canvas').first().evaluate((canvas) => {
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
        return false;
      });
      assert.ok(drawn, `${title}: the chart is drawn`);
      assert.equal(await figure.locator('.chart-plot').getAttribute('aria-hidden'), 'true',
        `${title}: screen readers get the caption and table instead of the drawing`);
      assert.match(await figure.locator('.chart-summary').textContent(), /\S/);
      const numbers = figure.locator('details');
      await numbers.locator('summary').focus();
      await page.keyboard.press('Enter');
      await figure.locator('details table').waitFor();
      assert.ok(await figure.locator('details tbody tr').count() >= 1, `${title}: its numbers are listed`);
    }
    assert.equal(await chart('Run durations').locator('tbody tr').count(), 2, 'one point per run');
    assert.match(await chart('Failures per day').locator('tbody tr').first().textContent(), /2$/,
      'the failing repository failed in both runs');
    assert.match(await chart('Stored bytes').locator('.chart-summary').textContent(), /\d/);
    assert.equal(await chart('Stored bytes').locator('.chart-key li').count(), 2, 'packs and metadata have a key');
    await t.checkAccessibility();
    return section();
  });

  await t.step('shows the dashboard on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${consoleUrl}#/dashboard`);
    await chart('Failures per day').locator('canvas').first().waitFor();
    await page.getByRole('heading', { level: 2, name: longOrgUrl }).waitFor();
    await assertFitsTheScreen(page);
    const width = await chart('Stored bytes').locator('.chart-plot').evaluate((plot) => plot.getBoundingClientRect().width);
    assert.ok(width <= 390, `the chart fits the screen (${width}px)`);
    await t.checkAccessibility();
  });

  await t.step('lists the audit trail newest first: two runs started, the organization registered', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await nav('Audit').click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await page.getByLabel('Organization').selectOption({ label: orgUrl });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/#\/audit\?organizationId=/);
    const expected = ['Start backup', 'Start backup', 'Register organization'];
    await eventually('the organization\'s entries', async () =>
      JSON.stringify(await page.locator('[data-audit] [data-action]').allTextContents()) === JSON.stringify(expected));
    const first = page.locator('[data-audit] tbody tr').first();
    assert.match(await first.textContent(), /local/, 'the actor under devhost');
    assert.equal(await first.locator('[data-status]').getAttribute('data-status'), 'succeeded');
    assert.ok(await first.getByRole('link', { name: orgUrl }).count(), 'the organization is named by its URL');
    await t.checkAccessibility();
  });

  await t.step('pages through the audit trail with More', async () => {
    await page.goto(`${consoleUrl}#/audit?organizationId=${encodeURIComponent(organizationId)}&top=2`);
    const rows = page.locator('[data-audit] tbody tr');
    await eventually('a page of two entries', async () => (await rows.count()) === 2);
    await page.getByRole('button', { name: 'More' }).click();
    await eventually('the next page', async () => (await rows.count()) === 3);
    assert.equal(await page.getByRole('button', { name: 'More' }).isHidden(), true, 'no more after the last page');
    assert.match(await page.locator('[data-audit-count]').textContent(), /3 entries shown, all there are/);
  });

  await t.step('filters the audit trail by time', async () => {
    const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    await page.getByLabel('Since').fill(tomorrow);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No entry matches these filters.').waitFor();
    assert.match(page.url(), new RegExp(`since=${tomorrow}`));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${consoleUrl}#/audit`);
    await page.locator('[data-audit] tbody tr').first().waitFor();
    await assertFitsTheScreen(page, 'the audit page');
    await t.checkAccessibility();
  });
});

// The console shell against the stand-in server (no API behind it): loads under its CSP, starts
// at Connect when there is no organization, says how to get past a blocked sign-in popup, takes
// the sign-in result only from its own origin, shows required-field errors next to their fields,
// and lays out on a narrow screen.
import assert from 'node:assert/strict';
import { assertFitsTheScreen, consoleUrl, eventually, session } from './harness.mjs';

const otherOrigin = process.env.BUNKER_OTHER_ORIGIN_URL;

/** Chooses Connect on the Azure DevOps tile; the sign-in popup it opens. */
async function connectPopup(page) {
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect' }).click();
  return popupOpened;
}

await session('console-shell', async (t) => {
  const { page } = t;

  await t.step('opens at Connect when no organization exists', async () => {
    await page.goto(consoleUrl);
    await page.waitForURL(/#\/connect$/);
    await page.getByRole('heading', { level: 1, name: 'Connect an organization' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 2, name: 'Azure DevOps', exact: true }).count(), 1);
    assert.equal(await page.getByRole('heading', { level: 2, name: 'Azure DevOps Server' }).count(), 1);
    assert.equal(await page.locator('nav [aria-current="page"]').textContent(), 'Connect');
    await t.checkAccessibility();
  });

  await t.step('asks for the organization URL before signing in', async () => {
    await page.getByRole('button', { name: 'Connect' }).click();
    const error = page.locator('[data-field="organizationUrl"] .field-error');
    await error.waitFor();
    assert.match(await error.textContent(), /Enter the URL of your organization/);
    assert.equal(await page.getByLabel('Organization URL').getAttribute('aria-invalid'), 'true');
  });

  await t.step('says how to allow a blocked sign-in popup and offers this tab instead', async () => {
    await page.evaluate(() => { window.open = () => null; }); // what a popup blocker does
    await page.getByLabel('Organization URL').fill('https://dev.azure.com/contoso');
    await page.getByLabel('Consent on behalf of your organization').check();
    await page.getByRole('button', { name: 'Connect' }).click();
    const notice = page.locator('[data-popup-blocked]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /blocked the sign-in window/);
    assert.equal(await notice.getAttribute('role'), 'alert');
    const link = page.getByRole('link', { name: 'sign in in this tab' });
    const href = new URL(await link.getAttribute('href'), page.url());
    assert.equal(href.pathname, '/api/oauth/authorize');
    assert.equal(href.searchParams.get('organizationUrl'), 'https://dev.azure.com/contoso');
    assert.equal(href.searchParams.get('adminConsent'), 'true');
    await t.checkAccessibility();
  });

  await t.step('takes the sign-in result only from the popup on its own origin', async () => {
    await page.reload();
    await page.getByLabel('Organization URL').fill('https://dev.azure.com/contoso');
    const popup = await connectPopup(page);
    await page.getByText('Waiting for you to sign in').waitFor();

    // Navigations from inside the popup, as the sign-in redirects are (a navigation typed into
    // the address bar would cut the popup from its opener).
    const navigate = async (url) => {
      await popup.evaluate((target) => { window.location.href = target; }, url);
      await popup.waitForURL(url);
    };

    // Any page of an origin can post; /api/health is one that every Bunker answers.
    // Another origin posting the same message is ignored.
    await navigate(`${otherOrigin}/api/health`);
    await popup.evaluate(() => window.opener.postMessage(
      { type: 'bunker-oauth', status: 'error', message: 'forged' }, '*'));
    await page.waitForTimeout(300);
    assert.equal(await page.getByText('forged').count(), 0);

    // The callback on the app's own origin is heard.
    const origin = new URL(consoleUrl).origin;
    await navigate(`${origin}/api/health`);
    await popup.evaluate((target) => window.opener.postMessage(
      { type: 'bunker-oauth', status: 'failed', message: 'Consent was declined.' }, target), origin);
    await page.getByText('Consent was declined.').waitFor();
    assert.match(await page.locator('.oauth-status [role="alert"]').textContent(), /did not connect/);
    await popup.close();
  });

  await t.step('goes to the organizations when sign-in connected one', async () => {
    const popup = await connectPopup(page);
    const origin = new URL(consoleUrl).origin;
    await popup.evaluate((target) => { window.location.href = target; }, `${origin}/api/health`);
    await popup.waitForURL(`${origin}/api/health`);
    await popup.evaluate((target) => window.opener.postMessage(
      { type: 'bunker-oauth', status: 'connected', organizationUrl: 'https://dev.azure.com/contoso' }, target), origin);
    await page.waitForURL(/#\/organizations$/);
    await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    await popup.close();
  });

  await t.step('takes a sign-in result that arrives after its window was seen closed', async () => {
    await page.goto(`${consoleUrl}#/connect`);
    await page.getByLabel('Organization URL').fill('https://dev.azure.com/contoso');
    const popup = await connectPopup(page);
    await popup.close();
    await page.getByText('The sign-in window was closed').waitFor();
    // the callback page posts its result and closes itself; the message may come after the close
    await page.evaluate(() => window.dispatchEvent(new MessageEvent('message', {
      origin: window.location.origin,
      data: { type: 'bunker-oauth', status: 'connected', organizationUrl: 'https://dev.azure.com/contoso' },
    })));
    await page.waitForURL(/#\/organizations$/);
    await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
  });

  await t.step('answers a refused sign-in start with a page that reports to the console, not JSON', async () => {
    await page.goto(`${consoleUrl}#/connect`);
    await page.getByLabel('Organization URL').fill('https://example.com/not-azure-devops');
    const popup = await connectPopup(page);
    const problem = page.locator('.oauth-status [role="alert"]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /did not connect.*not on the allow-list/s);
    await eventually('the sign-in window to close itself', () => popup.isClosed());
  });

  await t.step('says on the Connect tile when sign-in with Entra ID is not set up', async () => {
    // This devhost has OAuth set up; the console hears "off" as a deployment without OAUTH_CLIENT_ID
    // answers (OAuthFlowTest shows the API's side).
    await page.route('**/api/oauth/status', (route) => route.fulfill({ json: { configured: false } }));
    await page.goto(`${consoleUrl}#/organizations`);
    await page.goto(`${consoleUrl}#/connect`);
    const notice = page.locator('[data-oauth-off]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /not set up in this Bunker/);
    assert.equal(await page.getByRole('button', { name: 'Connect' }).count(), 0, 'no sign-in to start');
    const guide = new URL(await notice.locator('[data-deploy-guide]').getAttribute('href'), page.url());
    assert.equal(guide.hash, '#connect-an-azure-devops-organization');
    const text = await page.evaluate(async (href) => (await fetch(href)).text(), guide.href);
    assert.match(text, /^## Connect an Azure DevOps organization$/m);
    await t.checkAccessibility();
    await page.screenshot({ path: `${t.shots}/connect-oauth-off.png`, fullPage: true });
    await page.unroute('**/api/oauth/status');
    await notice.getByRole('link', { name: 'advanced mode' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connect with a personal access token' }).waitFor();
  });

  await t.step('advanced mode shows required fields next to the fields', async () => {
    await page.goto(`${consoleUrl}#/connect`);
    await page.getByRole('link', { name: /Advanced mode/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Connect with a personal access token' }).waitFor();
    await page.getByRole('group', { name: 'Hours of the day' }).getByLabel('01:00').uncheck();
    await page.getByRole('button', { name: 'Proceed' }).click();
    await page.locator('.error-summary').waitFor();
    const errorOf = (name) => page.locator(`[data-field="${name}"] > .field-error`).textContent();
    assert.match(await errorOf('url'), /Enter the organization or collection URL/);
    assert.match(await errorOf('pat'), /Enter a personal access token/);
    assert.match(await errorOf('policy.schedule.hours'), /Choose at least one hour/);
    assert.equal(await page.locator('.error-summary li').count(), 3);
    await t.checkAccessibility();
  });

  await t.step('advanced mode for Azure DevOps Server asks for a collection URL', async () => {
    await page.goto(`${consoleUrl}#/connect/advanced/server`);
    await page.getByLabel('Collection URL').waitFor();
    await page.getByLabel('Every N hours').check();
    await eventually('interval field', () => page.getByLabel('Every how many hours').isVisible());
    assert.equal(await page.getByRole('group', { name: 'Hours of the day' }).isVisible(), false);
  });

  await t.step('lays out on a narrow screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${consoleUrl}#/connect`);
    await page.getByRole('heading', { level: 1, name: 'Connect an organization' }).waitFor();
    await assertFitsTheScreen(page);
  });

  await t.step('refuses what a page of another origin makes the browser send', async () => {
    const origin = new URL(consoleUrl).origin;
    const other = await page.context().newPage();
    await other.goto(`${otherOrigin}/api/health`);
    // What another site may send without asking (no CORS preflight): a POST without a body, and
    // one with a text/plain body. Their answers are opaque to that page; the browser sees them.
    const paths = ['/api/organizations/0123456789abcdef/backups', '/api/credentials'];
    const answers = Promise.all(paths.map((path) => other.waitForResponse((r) => r.url() === `${origin}${path}`)));
    await other.evaluate(async ([target, [backups, credentials]]) => {
      await fetch(`${target}${backups}`, { method: 'POST', mode: 'no-cors', credentials: 'include' });
      await fetch(`${target}${credentials}`, {
        method: 'POST', mode: 'no-cors', credentials: 'include',
        headers: { 'Content-Type': 'text/plain' }, body: '{"name":"forged","token":"forged"}',
      });
    }, [origin, paths]);
    assert.deepEqual((await answers).map((r) => r.status()), [403, 403]);
    await other.close();
    const listed = await page.evaluate(async () => (await fetch('/api/credentials')).json());
    assert.equal(listed.filter((credential) => credential.name === 'forged').length, 0);
  });

  await t.step('keeps nothing in browser storage', async () => {
    const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
    assert.equal(stored, 0);
  });
});

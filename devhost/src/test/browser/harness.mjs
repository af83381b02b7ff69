// A small harness for the console's browser scripts: launches Debian's Chromium through
// playwright-core (installed by the Java side into the project's .tools folder), runs named steps,
// saves a screenshot after each one, checks pages with axe-core, and fails on page errors or
// Content-Security-Policy violations.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.env.BROWSER_TOOLS_DIR || process.cwd(), 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const baseUrl = process.env.BUNKER_URL;
export const consoleUrl = `${baseUrl}/api/console`;

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/**
 * Runs `body(t)` with a fresh browser. `t.page` is a desktop-sized page; `t.step(title, fn)` runs
 * one step and screenshots `t.page` (or the page `fn` returns) as NN-title.png.
 */
export async function session(name, body) {
  const shots = path.join(process.env.SCREENSHOT_DIR || 'target/browser', name);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.on('page', (page) => watch(page, problems));
  const page = await context.newPage();
  let count = 0;
  let passed = 0;
  const t = {
    page,
    context,
    browser,
    shots,
    problems,
    async step(title, fn) {
      count += 1;
      const started = Date.now();
      const file = path.join(shots, `${String(count).padStart(2, '0')}-${slug(title)}.png`);
      let shown = t.page;
      try {
        const result = await fn();
        if (result && typeof result.screenshot === 'function') shown = result;
      } catch (error) {
        await shown.screenshot({ path: file, fullPage: true }).catch(() => {});
        console.log(`not ok ${count} - ${title}`);
        throw error;
      }
      await shown.screenshot({ path: file, fullPage: true });
      passed += 1;
      console.log(`ok ${count} - ${title} (${Date.now() - started} ms)`);
    },
    /** Fails on serious or critical WCAG 2 A/AA violations that axe-core finds on `target`. */
    async checkAccessibility(target = t.page) {
      // Evaluated through the DevTools protocol, which the page's CSP does not govern.
      await target.evaluate(axeSource);
      const violations = await target.evaluate(async () => {
        const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      if (violations.length) throw new Error(`Accessibility problems:\n${violations.join('\n')}`);
    },
  };
  try {
    await body(t);
    const serious = problems.filter((problem) => problem.serious);
    if (serious.length) {
      throw new Error(`The page reported problems:\n${serious.map((problem) => problem.text).join('\n')}`);
    }
    console.log(`${name}: ${passed} passed, 0 failed`);
  } catch (error) {
    console.log(`${name}: ${passed} passed, 1 failed`);
    console.error(error.stack || String(error));
    if (problems.length) console.error(`Browser console:\n${problems.map((p) => p.text).join('\n')}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

/** Uncaught errors and CSP violations fail the run; other console errors are kept for the log. */
function watch(page, problems) {
  page.on('pageerror', (error) => problems.push({ serious: true, text: `page error: ${error.message}` }));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    problems.push({ serious: /Content Security Policy/i.test(text), text: `console: ${text}` });
  });
}

/** Waits until `fn` returns something truthy (polling), or fails with `what`. */
export async function eventually(what, fn, { timeoutMs = 10000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Timed out waiting for ${what} (last: ${last})`);
}

/**
 * Fails when `page` is wider than its viewport (it scrolls sideways on a phone), naming the elements
 * that reach past the viewport's right edge, so the failure says what to fix. Elements inside a
 * container that scrolls on its own are left out: they do not widen the page.
 */
export async function assertFitsTheScreen(page, what = 'page') {
  const { overflow, offenders } = await page.evaluate(() => {
    const width = window.innerWidth;
    const scrollsOnItsOwn = (element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true;
      }
      return false;
    };
    const describe = (element) => {
      const classes = [...element.classList].map((name) => `.${name}`).join('');
      const text = (element.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes} `
        + `(right edge ${Math.round(element.getBoundingClientRect().right)}px) "${text}"`;
    };
    const offenders = [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5 && !scrollsOnItsOwn(element))
      .map(describe);
    return { overflow: document.documentElement.scrollWidth - width, offenders };
  });
  const named = offenders.slice(0, 8).join('; ') || 'nothing found';
  const more = offenders.length > 8 ? ` and ${offenders.length - 8} more` : '';
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the screen; past its right edge: ${named}${more}`);
}

/** An environment variable the Java test must set; fails naming it when it is not. */
export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const BACKUP_TIMEOUT_MS = Number(process.env.BACKUP_TIMEOUT_MS || 180000);

/** Waits until the newest run in the organization's runs table succeeds; fails as soon as it fails. */
export async function latestRunSucceeds(page) {
  await eventually('the run to finish', async () => {
    const status = await page.locator('[data-runs] tbody tr').first().locator('[data-status]').getAttribute('data-status');
    assert.notEqual(status, 'failed', 'the run failed');
    return status === 'succeeded';
  }, { timeoutMs: BACKUP_TIMEOUT_MS, intervalMs: 500 });
}

/** After Proceed or a sign-in: the console says "Connected." and shows the organization at `organizationUrl`. */
export async function connected(page, organizationUrl) {
  await page.locator('.notice.success', { hasText: 'Connected.' }).waitFor({ timeout: 30000 });
  await page.waitForURL(/#\/organizations\/[^/?]+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), organizationUrl);
}

// The console's entry point: a hash router (#/connect, #/organizations/…, #/dashboard, #/audit,
// #/credentials), so the server serves one page and every view has an address that survives a reload.
import { api } from './api.js';
import { renderAudit } from './audit.js';
import { renderAdvanced, renderConnect } from './connect.js';
import { renderCredentials } from './credentials.js';
import { renderDashboard } from './dashboard.js';
import { h, replaceChildren } from './dom.js';
import { renderMetadata } from './metadata.js';
import { renderOrganization, renderOrganizations, renderRepository, renderRun } from './organizations.js';

const main = document.getElementById('main');
let currentView = null;

const routes = [
  [/^\/connect$/, (m, ctx) => renderConnect(main, ctx), 'connect'],
  [/^\/connect\/advanced\/(cloud|server)$/, (m, ctx) => renderAdvanced(main, m[1], ctx), 'connect'],
  [/^\/organizations$/, (m, ctx) => renderOrganizations(main, ctx), 'organizations'],
  [/^\/organizations\/([^/]+)$/, (m, ctx, query) =>
    renderOrganization(main, decodeURIComponent(m[1]), { connected: query.has('connected') }, ctx), 'organizations'],
  [/^\/organizations\/([^/]+)\/policy$/, (m, ctx) =>
    renderOrganization(main, decodeURIComponent(m[1]), { policyOpen: true }, ctx), 'organizations'],
  [/^\/organizations\/([^/]+)\/runs\/([^/]+)$/, (m, ctx) =>
    renderRun(main, decodeURIComponent(m[1]), decodeURIComponent(m[2]), ctx), 'organizations'],
  [/^\/organizations\/([^/]+)\/repositories\/([^/]+)$/, (m, ctx) =>
    renderRepository(main, decodeURIComponent(m[1]), decodeURIComponent(m[2]), ctx), 'organizations'],
  [/^\/organizations\/([^/]+)\/metadata\/([^/]+)$/, (m, ctx) =>
    renderMetadata(main, decodeURIComponent(m[1]), decodeURIComponent(m[2]), ctx), 'organizations'],
  [/^\/dashboard$/, (m, ctx) => renderDashboard(main, ctx), 'dashboard'],
  [/^\/audit$/, (m, ctx, query) => renderAudit(main, ctx, query), 'audit'],
  [/^\/credentials$/, (m, ctx) => renderCredentials(main, ctx), 'credentials'],
];

async function route() {
  const hash = window.location.hash;
  if (hash && !hash.startsWith('#/')) return; // an in-page anchor, not a view
  if (!hash || hash === '#/') {
    await openStartView();
    return;
  }
  const [path, queryText] = hash.slice(1).split('?');
  const query = new URLSearchParams(queryText || '');
  const match = routes.map(([pattern, render, section]) => [pattern.exec(path), render, section])
    .find(([found]) => found);
  currentView?.abort();
  const view = new AbortController();
  currentView = view;
  markSection(match ? match[2] : null);
  if (!match) {
    replaceChildren(main, h('h1', { tabindex: '-1' }, 'Not found'),
      h('p', {}, 'The console has no such page. ', h('a', { href: '#/organizations' }, 'Go to organizations'), '.'));
    focusHeading();
    return;
  }
  main.setAttribute('aria-busy', 'true');
  try {
    await match[1](match[0], { signal: view.signal }, query);
  } catch (error) {
    if (error.name === 'AbortError' || view.signal.aborted) return;
    replaceChildren(main, h('h1', { tabindex: '-1' }, 'Something went wrong'),
      h('div', { class: 'notice error', role: 'alert' }, h('p', {}, error.message || String(error))),
      h('p', {}, h('a', { href: window.location.hash, 'data-retry': '', on: { click: (event) => {
        event.preventDefault();
        route();
      } } }, 'Try again')));
  } finally {
    if (currentView === view) main.removeAttribute('aria-busy');
  }
  if (currentView === view) focusHeading();
}

/** With no organization yet, start where a new admin starts: connecting one. */
async function openStartView() {
  let organizations = [];
  try {
    organizations = await api.organizations();
  } catch {
    // The organizations view shows the error with a way to retry.
  }
  window.location.replace(organizations.length ? '#/organizations' : '#/connect');
}

function markSection(section) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** After a view change, screen-reader and keyboard users land on the new view's heading. */
function focusHeading() {
  const heading = main.querySelector('h1');
  heading?.focus();
  document.title = heading ? `${heading.textContent} · Bunker` : 'Bunker console';
}

document.querySelector('[data-skip-link]').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', route);
route();

// The console's only way to the server: Bunker's HTTP API (docs/design.md §11), same origin.
// Nothing here keeps anything in browser storage; tokens pass through once, in request bodies.

/** `…/api/`, found from this file's own address (`…/api/console/js/api.js`). */
export const API_BASE = new URL('../../', import.meta.url);

/** An API answer that was not a success, with the problem+json fields when the server sent them. */
export class ApiError extends Error {
  constructor(status, problem, fallbackText) {
    const detail = problem?.detail || problem?.title || fallbackText || `The server answered ${status}.`;
    super(detail);
    this.status = status;
    this.type = problem?.type || '';
    this.title = problem?.title;
    this.detail = detail;
    this.fieldErrors = Array.isArray(problem?.errors)
      ? problem.errors.map((error) => ({ field: error.field || '', message: error.message || String(error) }))
      : [];
  }
}

const e = encodeURIComponent;

export function apiUrl(path) {
  return new URL(path, API_BASE);
}

async function request(method, path, body, { signal } = {}) {
  // X-Requested-With: App Service authentication then answers an expired sign-in with 401
  // instead of a redirect to the sign-in page, which fetch cannot follow.
  const headers = { Accept: 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(apiUrl(path), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, null, 'Bunker did not answer. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const data = parseJson(text);
  if (!response.ok) throw errorFor(response, data);
  return data;
}

function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function errorFor(response, problem) {
  if ((response.status === 401 || response.status === 403) && !problem) {
    return new ApiError(response.status, null,
      'You are signed out or not allowed to manage Bunker. Reload the page to sign in again.');
  }
  return new ApiError(response.status, problem, `${response.status} ${response.statusText}`.trim());
}

/** Lists come as a JSON array. */
function list(data) {
  return Array.isArray(data) ? data : [];
}

export const api = {
  health: (options) => request('GET', 'health', undefined, options),
  /** `{configured}`: whether signing in with Microsoft Entra ID is set up in this deployment. */
  oauthStatus: (options) => request('GET', 'oauth/status', undefined, options),

  credentials: async (options) => list(await request('GET', 'credentials', undefined, options)),
  addCredential: (credential) => request('POST', 'credentials', credential),
  deleteCredential: (id) => request('DELETE', `credentials/${e(id)}`),

  organizations: async (options) => list(await request('GET', 'organizations', undefined, options)),
  organization: (id, options) => request('GET', `organizations/${e(id)}`, undefined, options),
  addOrganization: (registration) => request('POST', 'organizations', registration),
  deleteOrganization: (id) => request('DELETE', `organizations/${e(id)}`),
  policy: (id, options) => request('GET', `organizations/${e(id)}/policy`, undefined, options),
  savePolicy: (id, policy) => request('PUT', `organizations/${e(id)}/policy`, policy),

  notifications: (id, options) => request('GET', `organizations/${e(id)}/notifications`, undefined, options),
  testNotifications: (id) => request('POST', `organizations/${e(id)}/notifications/test`),

  startBackup: (id) => request('POST', `organizations/${e(id)}/backups`),
  runs: async (id, top, options) =>
    list(await request('GET', `organizations/${e(id)}/backups${top ? `?top=${top}` : ''}`, undefined, options)),
  run: (id, runId, options) => request('GET', `organizations/${e(id)}/backups/${e(runId)}`, undefined, options),

  repositories: async (id, options) =>
    list(await request('GET', `organizations/${e(id)}/repositories`, undefined, options)),
  /** `{snapshot, refs: [{name, objectId}]}` */
  snapshot: (id, repoId, snapshotId, options) =>
    request('GET', `organizations/${e(id)}/repositories/${e(repoId)}/snapshots/${e(snapshotId)}`, undefined, options),
  snapshots: async (id, repoId, options) =>
    list(await request('GET', `organizations/${e(id)}/repositories/${e(repoId)}/snapshots`, undefined, options)),

  metadataProjects: async (id, options) =>
    list(await request('GET', `organizations/${e(id)}/metadata`, undefined, options)),
  metadataSnapshots: async (id, projectId, options) =>
    list(await request('GET', `organizations/${e(id)}/projects/${e(projectId)}/metadata`, undefined, options)),
  restoreMetadata: (id, restore) => request('POST', `organizations/${e(id)}/metadata-restores`, restore),
  metadataRestoreStatus: (id, restoreId, options) =>
    request('GET', `organizations/${e(id)}/metadata-restores/${e(restoreId)}`, undefined, options),

  /** The protection report of every organization: statuses, totals and history for charts. */
  report: (options) => request('GET', 'report', undefined, options),
  /**
   * One page of the audit trail, newest first: `{entries, continuation}`; `filters` are `since`,
   * `organizationId`, `top` and the `continuation` of the page before.
   */
  audit: (filters, options) => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value));
    return request('GET', `audit${query.size ? `?${query}` : ''}`, undefined, options);
  },

  restore: (id, restore) => request('POST', `organizations/${e(id)}/restores`, restore),
  restoreStatus: (id, restoreId, options) =>
    request('GET', `organizations/${e(id)}/restores/${e(restoreId)}`, undefined, options),
};

export function bundleUrl(orgId, repoId, snapshotId) {
  return apiUrl(`organizations/${e(orgId)}/repositories/${e(repoId)}/snapshots/${e(snapshotId)}/bundle`);
}

export function metadataZipUrl(orgId, projectId, snapshotId) {
  return apiUrl(`organizations/${e(orgId)}/projects/${e(projectId)}/metadata/${e(snapshotId)}/zip`);
}

/**
 * Asks for a snapshot's bundle (or a metadata snapshot's zip) without following the redirect (the SAS URL is on another origin,
 * which this page may not fetch). Answers one of:
 * - `{ready: true, href}`: navigate to `href` and the browser follows the 303 to the export blob;
 * - `{ready: true, blob}`: a small bundle the server sent directly (200);
 * - `{ready: false, retryAfterSeconds, next}`: still exporting (202); ask `next` again later.
 */
export async function requestBundle(url, { signal } = {}) {
  const response = await fetch(url, { redirect: 'manual', credentials: 'same-origin', cache: 'no-store', signal });
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    return { ready: true, href: String(url) };
  }
  if (response.status === 202) {
    const location = response.headers.get('Location');
    return {
      ready: false,
      retryAfterSeconds: retryAfterSeconds(response.headers.get('Retry-After')),
      next: location ? new URL(location, url) : url,
    };
  }
  if (response.ok) return { ready: true, blob: await response.blob() };
  throw errorFor(response, parseJson(await response.text()));
}

function retryAfterSeconds(header) {
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.max(seconds, 1), 60);
  const date = Date.parse(header || '');
  if (!Number.isNaN(date)) return Math.min(Math.max((date - Date.now()) / 1000, 1), 60);
  return 5;
}

/** The deploy guide, served with the console; `section` is a heading's anchor. */
export function deployGuideUrl(section) {
  return new URL(`docs/deploy.md${section ? `#${section}` : ''}`, new URL('../', import.meta.url));
}

/** The address that starts the OAuth sign-in (a navigation, in a popup or this tab). */
export function authorizeUrl(organizationUrl, adminConsent) {
  const url = apiUrl('oauth/authorize');
  url.searchParams.set('organizationUrl', organizationUrl);
  url.searchParams.set('adminConsent', adminConsent ? 'true' : 'false');
  return url;
}

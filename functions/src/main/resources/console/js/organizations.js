// Organizations: the list, one organization (policy, runs, repositories), one run with its
// per-repository results, and one repository with its snapshots, bundle download and restore.
import { ApiError, api, bundleUrl } from './api.js';
import {
  BROWSER_TIME_ZONE, announce, badge, clearErrors, confirmDialog, field, formatBytes, formatTime, h, norm, replaceChildren, showErrors, sleep, table, uid,
} from './dom.js';
import { downloadExport } from './downloads.js';
import { ORGANIZATION_SCOPE, metadataSection, omissionsView } from './metadata.js';
import { notificationsSection } from './notifications.js';
import { describePolicy, policyFields } from './policy.js';
import { restorePanel } from './restores.js';

const POLL_MS = 2000;
const ACTIVE = new Set(['queued', 'running']);
const e = encodeURIComponent;

const orgLink = (id) => `#/organizations/${e(id)}`;
const orgName = (org) => org.url || org.id;
const kindText = (org) => (norm(org.kind) === 'server' ? 'Azure DevOps Server' : 'Azure DevOps');
const authText = (org) => (norm(org.auth) === 'oauth' ? 'Microsoft Entra ID (OAuth)' : 'Personal access token');
/** Removed, waiting for someone to sign in again (a revoked OAuth grant), or active. */
const orgState = (org) => {
  if (org.deletedAt) return 'removed';
  return org.consentNeededSince ? 'consentneeded' : 'active';
};
const triggerText = (run) => (norm(run.trigger) === 'schedule' ? 'Scheduled' : 'Manual');
const isActive = (run) => ACTIVE.has(norm(run?.status));
const statusWord = (status) => badge(status).textContent.toLowerCase();

/**
 * Results done/failed/total of a run, from the counts it reports: its repositories, and
 * `metadata` of them projects' metadata.
 */
function progress(run) {
  const { total = 0, succeeded = 0, failed = 0, metadata = 0 } = run.counts || {};
  return { succeeded, failed, done: succeeded + failed, total, metadata, repositories: total - metadata };
}

/** "3 repositories, 3 projects' metadata": what a run backs up, counted apart. */
function runContents(p) {
  const repositories = `${p.repositories} ${p.repositories === 1 ? 'repository' : 'repositories'}`;
  if (!p.metadata) return repositories;
  return `${repositories}, ${p.metadata} ${p.metadata === 1 ? 'project\'s' : 'projects\''} metadata`;
}

function progressView(run) {
  const p = progress(run);
  const words = p.total
    ? `${p.done} of ${p.total} done${p.failed ? `, ${p.failed} failed` : ''} (${runContents(p)})`
    : (isActive(run) ? 'Finding repositories…' : (run.error ? 'Could not list the repositories' : 'No repositories'));
  return h('div', { class: 'progress', 'data-run-progress': '' },
    p.total ? h('progress', { max: String(p.total), value: String(p.done), 'aria-label': words }) : null,
    h('span', {}, words));
}

function errorNotice(error) {
  return h('div', { class: 'notice error', role: 'alert' }, h('p', {}, error.message || String(error)));
}

export async function renderOrganizations(main, { signal }) {
  const organizations = await api.organizations({ signal });
  const cards = await Promise.all(organizations.map(async (org) => {
    const runs = await api.runs(org.id, 1, { signal }).catch(() => []);
    return organizationCard(org, runs[0]);
  }));
  replaceChildren(main,
    h('div', { class: 'heading-row' },
      h('h1', { tabindex: '-1' }, 'Organizations'),
      h('a', { class: 'button', href: '#/connect' }, 'Connect an organization')),
    organizations.length === 0
      ? h('div', { class: 'empty' }, h('p', {}, 'No organization is backed up yet.'),
        h('p', {}, h('a', { class: 'button primary', href: '#/connect' }, 'Connect your first organization')))
      : h('ul', { class: 'cards', role: 'list' }, cards.map((card) => h('li', {}, card))));
}

function organizationCard(org, lastRun) {
  const status = h('div', { class: 'card-status', role: 'status' });
  const runButton = h('button', { type: 'button', class: 'primary' }, 'Run backup');
  runButton.addEventListener('click', async () => {
    runButton.disabled = true;
    try {
      const run = await api.startBackup(org.id);
      announce('Backup started.');
      window.location.hash = `${orgLink(org.id)}/runs/${e(run.id)}`;
    } catch (error) {
      replaceChildren(status, errorNotice(error));
      runButton.disabled = false;
    }
  });
  return h('article', { class: 'card', 'data-organization': org.id, 'aria-labelledby': `org-${org.id}` },
    h('h2', { id: `org-${org.id}` }, h('a', { href: orgLink(org.id) }, orgName(org))),
    summaryList(org, lastRun),
    h('div', { class: 'actions' }, runButton,
      h('a', { class: 'button secondary', href: `${orgLink(org.id)}/policy` }, 'Custom policy')),
    status);
}

function summaryList(org, lastRun) {
  return h('dl', { class: 'facts' },
    h('div', {}, h('dt', {}, 'Kind'), h('dd', {}, kindText(org))),
    h('div', {}, h('dt', {}, 'Signs in with'), h('dd', {}, authText(org))),
    h('div', {}, h('dt', {}, 'State'), h('dd', {}, badge(orgState(org)))),
    h('div', {}, h('dt', {}, 'Last run'), h('dd', { 'data-last-run': '' }, lastRun
      ? [badge(lastRun.status), ' ', formatTime(lastRun.startedAt)]
      : 'Never')),
    h('div', {}, h('dt', {}, 'Next backup'), h('dd', { 'data-next-backup': org.nextSlot || '' }, nextBackup(org))));
}

/**
 * When the next backup starts, in the browser's time zone (named), and in the policy's when it
 * differs, as the policy's hours are in that zone.
 */
function nextBackup(org) {
  if (!org.nextSlot) return 'Not scheduled';
  const zone = org.policy?.schedule?.timeZone || 'UTC';
  const clock = (timeZone) => {
    try {
      return new Date(org.nextSlot).toLocaleString('en', { timeZone });
    } catch {
      return null; // a zone the server knows and this browser does not
    }
  };
  const policyClock = clock(zone);
  return [formatTime(org.nextSlot), ` (${BROWSER_TIME_ZONE})`,
    policyClock && policyClock !== clock(BROWSER_TIME_ZONE)
      ? h('span', { class: 'other-zone' }, h('br'), formatTime(org.nextSlot, { timeZone: zone }), ` (${zone})`) : null];
}

/** One organization. `options.policyOpen` opens the Custom policy editor; `connected` greets it. */
export async function renderOrganization(main, id, { policyOpen = false, connected = false }, { signal }) {
  const [organization, policy, runs, repositories, metadataProjects, notifications] = await Promise.all([
    api.organization(id, { signal }),
    api.policy(id, { signal }).catch(() => null),
    api.runs(id, 10, { signal }),
    api.repositories(id, { signal }).catch(() => []),
    api.metadataProjects(id, { signal }).catch((error) => error),
    api.notifications(id, { signal }).catch(() => ({ targets: [] })),
  ]);
  let org = organization;
  let latestRun = runs[0];
  const currentPolicy = policy || org.policy;
  const actionStatus = h('div', { class: 'action-status', role: 'status' });
  const summary = h('div', {}, summaryList(org, latestRun));
  // Saving the policy and a run move the next backup: show the organization as it is now.
  const refreshSummary = async () => {
    try {
      org = await api.organization(id, { signal });
      replaceChildren(summary, summaryList(org, latestRun));
    } catch (error) {
      if (error.name !== 'AbortError') replaceChildren(actionStatus, errorNotice(error));
    }
  };
  const runsBox = h('div', { 'data-runs': '' });
  const problemBox = h('div', { 'data-last-run-problem-box': '' });
  const showProblem = async (run) => replaceChildren(problemBox,
    await lastRunProblem(org, run, { signal, connected }).catch(() => null));
  const repositoriesBox = h('div', { 'data-repositories': '' });
  const metadataBox = h('div', { 'data-metadata': '' });
  const policySummary = h('p', { 'data-policy-summary': '' }, describePolicy(currentPolicy));
  const editorBox = h('div', { id: 'policy-editor', hidden: !policyOpen });
  const policyButton = h('button', {
    type: 'button', class: 'secondary', 'aria-expanded': String(policyOpen), 'aria-controls': 'policy-editor',
  }, 'Custom policy');
  const runButton = h('button', { type: 'button', class: 'primary' }, 'Run backup');
  const removeButton = h('button', { type: 'button', class: 'danger' }, 'Remove organization');

  let polling = false;
  const showRuns = (list) => replaceChildren(runsBox, runsTable(id, list));
  const showRepositories = (list) => replaceChildren(repositoriesBox, repositoriesTable(id, list));
  const showMetadata = (projects) => replaceChildren(metadataBox, metadataSection(id, projects));
  const watchRuns = async () => {
    if (polling) return;
    polling = true;
    try {
      while (!signal.aborted) {
        await sleep(POLL_MS, signal);
        if (signal.aborted) return;
        const latest = await api.runs(id, 10, { signal });
        showRuns(latest);
        [latestRun] = latest;
        replaceChildren(summary, summaryList(org, latestRun));
        if (!latest.some(isActive)) {
          await refreshSummary();
          await showProblem(latestRun);
          showRepositories(await api.repositories(id, { signal }));
          showMetadata(await api.metadataProjects(id, { signal }).catch((error) => error));
          announce(`Backup ${latest[0] ? statusWord(latest[0].status) : 'finished'}.`);
          return;
        }
      }
    } catch (error) {
      if (error.name !== 'AbortError') replaceChildren(actionStatus, errorNotice(error));
    } finally {
      polling = false;
    }
  };

  runButton.addEventListener('click', async () => {
    runButton.disabled = true;
    replaceChildren(actionStatus);
    try {
      await api.startBackup(id);
      announce('Backup started.');
      replaceChildren(problemBox);
      showRuns(await api.runs(id, 10, { signal }));
      watchRuns();
    } catch (error) {
      replaceChildren(actionStatus, errorNotice(error));
    } finally {
      runButton.disabled = false;
    }
  });
  policyButton.addEventListener('click', () => {
    const open = editorBox.hidden;
    editorBox.hidden = !open;
    policyButton.setAttribute('aria-expanded', String(open));
    if (open) editorBox.querySelector('input, select, textarea, button')?.focus();
  });
  removeButton.addEventListener('click', async () => {
    // Backups are kept; only scheduling stops. Say so, since "remove" sounds more final.
    const confirmed = await confirmDialog({
      title: `Stop backing up ${orgName(org)}?`,
      body: [
        h('p', {}, 'Bunker stops backing it up. It keeps:'),
        h('ul', {},
          h('li', {}, 'every snapshot of its repositories and wikis, to download or restore;'),
          h('li', {}, 'its backups of pull requests, work items and pipelines;'),
          h('li', {}, 'its backup runs, and the credential it signs in with (under Credentials).')),
        h('p', {}, 'Connecting the same URL again brings them back.')],
      confirm: 'Remove organization',
    });
    if (!confirmed) return;
    try {
      await api.deleteOrganization(id);
      announce('Organization removed; its backups are kept.');
      window.location.hash = '#/organizations';
    } catch (error) {
      replaceChildren(actionStatus, errorNotice(error));
    }
  });

  replaceChildren(editorBox, policyEditor(id, currentPolicy, async (saved) => {
    policySummary.textContent = describePolicy(saved);
    editorBox.hidden = true;
    policyButton.setAttribute('aria-expanded', 'false');
    policyButton.focus();
    await refreshSummary();
  }));
  showRuns(runs);
  await showProblem(latestRun);
  showRepositories(repositories);
  showMetadata(metadataProjects);

  replaceChildren(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/organizations' }, 'Organizations'), ` / ${orgName(org)}`),
    h('h1', { tabindex: '-1' }, orgName(org)),
    connected ? h('div', { class: 'notice success', role: 'status' },
      h('p', {}, h('strong', {}, 'Connected. '), 'Bunker backs it up on the schedule below. Run the first backup now, '
        + 'or adjust the policy first.')) : null,
    summary,
    problemBox,
    h('div', { class: 'actions' }, runButton, policyButton, removeButton),
    actionStatus,
    h('section', { 'aria-labelledby': 'policy-title' },
      h('h2', { id: 'policy-title' }, 'Policy'), policySummary, editorBox),
    h('section', { 'aria-labelledby': 'runs-title' }, h('h2', { id: 'runs-title' }, 'Backups'), runsBox),
    h('section', { 'aria-labelledby': 'repos-title' }, h('h2', { id: 'repos-title' }, 'Repositories'), repositoriesBox),
    h('section', { 'aria-labelledby': 'metadata-title' }, h('h2', { id: 'metadata-title' }, 'Metadata'), metadataBox),
    h('section', { 'aria-labelledby': 'notifications-title' }, h('h2', { id: 'notifications-title' }, 'Notifications'),
      notificationsSection(id, notifications, errorNotice)));

  if (runs.some(isActive)) watchRuns();
  // Greet once: a reload or a link shared later shows the organization without the greeting.
  if (connected) window.history.replaceState(null, '', orgLink(id));
}

/**
 * Why the newest run failed (in whole or in part), on the organization's page: the reasons the run
 * recorded, what to do about them, and a link to the run. Null when it did not fail.
 */
async function lastRunProblem(org, run, { signal, connected }) {
  const status = norm(run?.status);
  if (status !== 'failed' && status !== 'partiallysucceeded') return null;
  const details = await api.run(org.id, run.id, { signal });
  const failed = (Array.isArray(details.results) ? details.results : [])
    .filter((result) => norm(result.status) === 'failed');
  const reasons = details.error ? [[null, details.error]]
    : failed.map((result) => [norm(result.kind) === 'metadata' ? 'Project metadata' : result.repository || result.repositoryId,
      result.error || 'no reason given']);
  const shown = reasons.slice(0, 3);
  const advice = [...new Set(reasons.map(([, reason]) => adviceFor(reason, org)))];
  const what = details.error ? 'could not list the repositories'
    : `failed for ${failed.length} of ${progress(details).total}`;
  // After removing and connecting again, the newest run may be from before: say so.
  const before = connected && org.updatedAt && new Date(run.startedAt) < new Date(org.updatedAt);
  return h('section', { class: 'notice error', 'aria-labelledby': 'last-run-problem', 'data-last-run-problem': '' },
    h('h2', { id: 'last-run-problem' }, `The last backup ${what}`),
    before ? h('p', {}, 'It ran before you connected the organization again; run a backup to see whether it works now.')
      : null,
    h('ul', {}, shown.map(([name, reason]) => h('li', {}, name ? [h('strong', {}, name), ': '] : null, reason))),
    reasons.length > shown.length ? h('p', {}, `…and ${reasons.length - shown.length} more.`) : null,
    advice.map((text) => h('p', { 'data-advice': '' }, h('strong', {}, 'What to do: '), text)),
    h('p', {}, h('a', { href: `${orgLink(org.id)}/runs/${e(run.id)}` }, 'See the run'), ' (started ',
      formatTime(run.startedAt), ').'));
}

/** What an admin can do about a failure, from the words Bunker and Azure DevOps use for it. */
function adviceFor(reason, org) {
  const text = String(reason);
  const byOAuth = norm(org.auth) === 'oauth';
  if (/not accepted|401|sign-in page|missing from the secret store|refresh token/i.test(text)) {
    return byOAuth
      ? 'Sign in again: connect the organization again from Connect; its backups are kept.'
      : 'Give Bunker a working token: create a new personal access token with Code (Read), remove the '
        + 'organization and connect it again with the new token. Its backups are kept.';
  }
  if (/\b403\b|permission|access denied|not authori[sz]ed/i.test(text)) {
    return 'The account Bunker signs in with lacks a permission: give it Read on the projects and repositories to back up '
      + '(or a token with the Code (Read) scope).';
  }
  if (/\b404\b|does not exist|not found/i.test(text)) {
    return 'Something was deleted or renamed in Azure DevOps: check the organization URL and that the projects still exist.';
  }
  if (/allow-list/i.test(text)) {
    return 'Ask whoever deployed Bunker to add the address to ALLOWED_ORGANIZATION_URLS.';
  }
  if (/\b(429|5\d\d)\b|timed? ?out|unavailable|not answering|gave up|stopped before/i.test(text)) {
    return 'Azure DevOps or the network was failing for a while: run the backup again, or let the next scheduled one retry.';
  }
  return 'Open the run for each repository\'s result; run the backup again once the cause is fixed.';
}

function policyEditor(id, policy, onSaved) {
  const fields = policyFields(policy, { prefix: '', full: true });
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save policy');
  const form = h('form', { class: 'stack wide policy-editor', novalidate: true, 'aria-label': 'Custom policy' },
    fields.element, h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const problems = fields.check();
    if (problems.length) {
      showErrors(form, problems);
      return;
    }
    const value = fields.read();
    save.disabled = true;
    try {
      const saved = await api.savePolicy(id, value);
      announce('Policy saved.');
      await onSaved(saved || value);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showErrors(form, error.fieldErrors, error.detail);
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function runsTable(orgId, runs) {
  if (runs.length === 0) return h('p', { class: 'muted' }, 'No backup has run yet.');
  return table('Backup runs, newest first', ['Started', 'Trigger', 'Status', 'Progress', 'Finished'],
    runs.map((run) => [
      h('a', { href: `#/organizations/${e(orgId)}/runs/${e(run.id)}` }, formatTime(run.startedAt) || run.id),
      h('span', { class: 'nowrap' }, triggerText(run)),
      badge(run.status),
      progressView(run),
      formatTime(run.finishedAt) || (isActive(run) ? 'Still running' : ''),
    ]));
}

function repositoriesTable(orgId, repositories) {
  if (repositories.length === 0) {
    return h('p', { class: 'muted' }, 'No repositories known yet: each backup lists them.');
  }
  return table('Repositories', ['Repository', 'Project', 'Kind', 'State', 'Last snapshot'],
    repositories.map((repository) => [
      h('a', { href: `#/organizations/${e(orgId)}/repositories/${e(repository.id)}` }, repository.name || repository.id),
      repository.project || '',
      norm(repository.kind) === 'wiki' ? 'Wiki' : 'Git',
      badge(repository.state),
      formatTime(repository.lastSnapshotAt) || repository.lastSnapshotId || 'None yet',
    ]));
}

/** What the latest verification of a snapshot found: every object read back and re-hashed, or what is damaged. */
function verificationView(snapshot) {
  if (snapshot.verifyError) {
    // the text names packs and objects: folded, so that the row stays readable (the page's notice says it too)
    return h('details', { 'data-verify-error': snapshot.id },
      h('summary', {}, badge('damaged'), ' ', formatTime(snapshot.verifiedAt) || ''),
      h('p', { class: 'field-error' }, snapshot.verifyError));
  }
  if (snapshot.verifiedAt) {
    return h('span', { 'data-verified': snapshot.id }, badge('verified'), ' ', formatTime(snapshot.verifiedAt));
  }
  return h('span', { class: 'muted' }, 'Not yet');
}

/**
 * Snapshot ids start with their UTC time (yyyyMMdd'T'HHmmss.SSS'Z', or yyyyMMdd'T'HHmmss'Z' in ids
 * earlier versions made); a created field wins if present.
 */
function snapshotTime(snapshot) {
  if (snapshot.takenAt) return snapshot.takenAt;
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d{3})?Z/.exec(snapshot.id || '');
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${match[7] || ''}Z` : null;
}

export async function renderRun(main, orgId, runId, { signal }) {
  const [org, repositories] = await Promise.all([
    api.organization(orgId, { signal }),
    api.repositories(orgId, { signal }).catch(() => []),
  ]);
  const names = new Map(repositories.map((repository) => [repository.id, repository]));
  const body = h('div', { 'data-run': runId });
  replaceChildren(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/organizations' }, 'Organizations'), ' / ',
      h('a', { href: orgLink(orgId) }, orgName(org)), ' / Backup run'),
    h('h1', { tabindex: '-1' }, 'Backup run'),
    body);
  let wasActive = false;
  while (!signal.aborted) {
    const run = await api.run(orgId, runId, { signal });
    replaceChildren(body, runDetails(orgId, run, names));
    if (!isActive(run)) {
      const omissions = await omissionsOf(orgId, run, signal);
      if (omissions.length) replaceChildren(body, runDetails(orgId, run, names, omissions));
      if (wasActive) announce(`Backup ${omissions.length ? 'succeeded with omissions' : statusWord(run.status)}.`);
      return;
    }
    wasActive = true;
    await sleep(POLL_MS, signal);
  }
}

/**
 * What the run's metadata snapshots list as not backed up (items that could not be read, such as
 * secret variables), each with its project's name; read from the snapshots the run made.
 */
async function omissionsOf(orgId, run, signal) {
  const made = (Array.isArray(run.results) ? run.results : [])
    .filter((result) => norm(result.kind) === 'metadata' && result.snapshotId);
  const lists = await Promise.all(made.map(async (result) => {
    const projectId = String(result.repositoryId || '').replace(/^metadata-/, '');
    const snapshots = await api.metadataSnapshots(orgId, projectId, { signal }).catch(() => []);
    const snapshot = snapshots.find((candidate) => candidate.snapshotId === result.snapshotId);
    const project = projectId === ORGANIZATION_SCOPE ? 'Organization' : snapshot?.projectName || projectId;
    return (Array.isArray(snapshot?.notBackedUp) ? snapshot.notBackedUp : []).map((omission) => ({ ...omission, project }));
  }));
  return lists.flat();
}

function runDetails(orgId, run, names, omissions = []) {
  const results = Array.isArray(run.results) ? run.results : [];
  const failures = results.filter((result) => norm(result.status) === 'failed');
  const repoOf = (result) => names.get(result.repositoryId) || {};
  // A project's metadata (pull requests, work items, pipelines) is a result too, with no repository page.
  const isMetadata = (result) => norm(result.kind) === 'metadata';
  const repoName = (result) => (isMetadata(result) ? 'Project metadata'
    : result.repository || repoOf(result).name || result.repositoryId);
  // A queued result with an error is a failed attempt the queue retries.
  const reason = (result) => (result.error && norm(result.status) !== 'failed' ? `Retrying: ${result.error}` : result.error || '');
  return h('div', {},
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Status'), h('dd', { 'data-run-status': run.status },
        omissions.length && norm(run.status) === 'succeeded'
          ? h('span', { class: 'badge badge-partiallysucceeded', 'data-status': 'succeededwithomissions' }, 'Succeeded with omissions')
          : badge(run.status))),
      h('div', {}, h('dt', {}, 'Trigger'), h('dd', {}, triggerText(run))),
      h('div', {}, h('dt', {}, 'Started'), h('dd', {}, formatTime(run.startedAt) || '—')),
      h('div', {}, h('dt', {}, 'Finished'), h('dd', {}, formatTime(run.finishedAt) || (isActive(run) ? 'Still running' : '—')))),
    progressView(run),
    run.error ? h('div', { class: 'notice error', role: 'alert', 'data-run-error': '' },
      h('p', {}, h('strong', {}, 'The run could not list the repositories: '), run.error)) : null,
    failures.length ? h('section', { class: 'notice error', 'aria-labelledby': 'failures-title', 'data-failures': '' },
      h('h2', { id: 'failures-title' }, `${failures.length} ${failures.length === 1 ? 'backup' : 'backups'} failed`),
      h('ul', {}, failures.map((result) => h('li', {}, h('strong', {}, repoName(result)), ': ',
        result.error || 'no reason given')))) : null,
    omissions.length ? h('section', { class: 'notice warning', 'aria-labelledby': 'omissions-title', 'data-run-omissions': '' },
      h('h2', { id: 'omissions-title' },
        `${omissions.length} ${omissions.length === 1 ? 'item was' : 'items were'} not backed up`),
      h('p', {}, 'Bunker could not read them; everything else of the run is saved. Secret variables never can be: '
        + 'keep their values elsewhere.'),
      omissionsView(omissions)) : null,
    results.length ? table('Results per repository', ['Repository', 'Project', 'Status', 'Snapshot', 'Added', 'Reason'],
      results.map((result) => [
        isMetadata(result) ? metadataResultLink(orgId, result)
          : h('a', { href: `#/organizations/${e(orgId)}/repositories/${e(result.repositoryId)}` }, repoName(result)),
        result.project || repoOf(result).project || '',
        badge(result.status),
        result.snapshotId ? h('code', {}, result.snapshotId) : '',
        formatBytes(result.packBytesAdded),
        reason(result),
      ])) : null);
}

/** A project's metadata result links to the project's metadata snapshots once it has one. */
function metadataResultLink(orgId, result) {
  const projectId = String(result.repositoryId || '').replace(/^metadata-/, '');
  return result.snapshotId
    ? h('a', { href: `#/organizations/${e(orgId)}/metadata/${e(projectId)}`, 'data-metadata-result': '' },
      'Project metadata')
    : h('span', { 'data-metadata-result': '' }, 'Project metadata');
}

export async function renderRepository(main, orgId, repoId, { signal }) {
  const [org, organizations, repositories, snapshots] = await Promise.all([
    api.organization(orgId, { signal }),
    api.organizations({ signal }),
    api.repositories(orgId, { signal }),
    api.snapshots(orgId, repoId, { signal }),
  ]);
  const repository = repositories.find((candidate) => candidate.id === repoId) || { id: repoId, name: repoId };
  const restoreBox = h('div', { id: 'restore-panel' });
  const rows = snapshots.map((snapshot) => {
    const snapshotId = snapshot.id;
    const status = h('div', { class: 'download-status', role: 'status', 'aria-live': 'polite' });
    const downloadButton = h('button', { type: 'button', class: 'secondary', 'data-download': snapshotId }, 'Download bundle');
    downloadButton.addEventListener('click', () => downloadExport(downloadButton, status, {
      url: bundleUrl(orgId, repoId, snapshotId), what: 'bundle',
      // as the server names it (Bundles.fileName)
      fileName: `${[repository.project, repository.name || repoId, snapshotId].join('-').replace(/[^A-Za-z0-9._]+/g, '-')}.bundle`,
      signal,
    }));
    const restoreButton = h('button', { type: 'button', class: 'secondary', 'data-restore': snapshotId }, 'Restore…');
    restoreButton.addEventListener('click', () => {
      replaceChildren(restoreBox, restoreForm({ org, organizations, repository, snapshotId, signal }));
      restoreBox.querySelector('h2').focus();
    });
    return [
      formatTime(snapshotTime(snapshot)) || '',
      h('code', {}, snapshotId),
      snapshot.headCommit ? h('code', {}, String(snapshot.headCommit).slice(0, 12)) : '',
      refsView(orgId, repoId, snapshot, signal),
      formatBytes(snapshot.packBytesAdded),
      verificationView(snapshot),
      h('div', { class: 'row-actions' }, downloadButton, restoreButton, status),
    ];
  });
  replaceChildren(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/organizations' }, 'Organizations'), ' / ',
      h('a', { href: orgLink(orgId) }, orgName(org)), ` / ${repository.name || repoId}`),
    h('h1', { tabindex: '-1' }, repository.name || repoId),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Project'), h('dd', {}, repository.project || '—')),
      h('div', {}, h('dt', {}, 'Kind'), h('dd', {}, norm(repository.kind) === 'wiki' ? 'Wiki' : 'Git')),
      h('div', {}, h('dt', {}, 'State'), h('dd', {}, badge(repository.state)))),
    repository.damage
      ? h('p', { class: 'notice error', role: 'alert' },
        h('strong', {}, 'Damaged backup. '), `Reading the snapshots back found objects missing or corrupt: ${repository.damage}`)
      : null,
    h('section', { 'aria-labelledby': 'snapshots-title' },
      h('h2', { id: 'snapshots-title' }, 'Snapshots'),
      snapshots.length
        ? table('Snapshots, newest first', ['Taken', 'Snapshot', 'Head commit', 'Refs', 'Added', 'Verified', 'Actions'], rows)
        : h('p', { class: 'muted' }, 'No snapshot yet.')),
    restoreBox);
}

/** A snapshot's ref count, opening into its refs (branches and tags, with their commits) when asked. */
function refsView(orgId, repoId, snapshot, signal) {
  const count = Number(snapshot.refCount ?? 0);
  const list = h('div', { 'data-refs': snapshot.id }, h('p', { class: 'muted' }, 'Loading…'));
  const details = h('details', { class: 'refs' }, h('summary', {}, `${count} ${count === 1 ? 'ref' : 'refs'}`), list);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      const { refs = [] } = await api.snapshot(orgId, repoId, snapshot.id, { signal });
      replaceChildren(list, refs.length
        ? h('ul', { class: 'ref-list', 'aria-label': `Refs of snapshot ${snapshot.id}` }, refs.map((ref) => h('li', {},
          h('code', {}, ref.name), ' ', h('code', { class: 'muted', title: ref.objectId }, String(ref.objectId || '').slice(0, 12)))))
        : h('p', { class: 'muted' }, 'No refs.'));
    } catch (error) {
      loaded = false;
      replaceChildren(list, errorNotice(error));
    }
  });
  return details;
}

function restoreForm({ org, organizations, repository, snapshotId, signal }) {
  const day = (snapshotTime({ id: snapshotId }) || new Date().toISOString()).slice(0, 10).replace(/-/g, '');
  const targetOrg = h('select', { name: 'organizationId' }, organizations.map((candidate) =>
    h('option', { value: candidate.id, selected: candidate.id === org.id }, orgName(candidate))));
  const project = h('input', { type: 'text', name: 'project', value: repository.project || '', spellcheck: 'false' });
  const name = h('input', {
    type: 'text', name: 'repository', value: `${repository.name || 'repository'}-restored-${day}`, spellcheck: 'false',
  });
  const intoGroup = uid('into');
  const intoNew = h('input', { type: 'radio', name: intoGroup, value: 'new', checked: true });
  const intoExisting = h('input', { type: 'radio', name: intoGroup, value: 'existing' });
  const suggestedName = name.value;
  const nameField = field({ name: 'target.repository', label: 'New repository name', control: name });
  const explanation = h('p', { class: 'hint', 'data-restore-explanation': '' });
  // Bunker never overwrites history: an existing repository must have no branches or tags yet
  // (created empty in Azure DevOps, without a README).
  const describeTarget = () => {
    const existing = intoExisting.checked;
    nameField.querySelector('label').textContent = existing ? 'Existing repository name' : 'New repository name';
    if (existing && name.value === suggestedName) name.value = '';
    if (!existing && !name.value) name.value = suggestedName;
    explanation.textContent = existing
      ? 'The repository must already exist and be empty (no branches or tags, created without a README): '
        + 'Bunker never overwrites history. It pushes every branch and tag of the snapshot into it.'
      : 'Bunker creates the repository and pushes every branch and tag of the snapshot into it.';
  };
  intoNew.addEventListener('change', describeTarget);
  intoExisting.addEventListener('change', describeTarget);
  describeTarget();
  return restorePanel({
    key: 'restore',
    title: 'Restore snapshot ',
    snapshotId,
    what: 'Restore',
    fields: [
      field({ name: 'target.create', label: 'Restore into', kind: 'fieldset', control: h('div', { class: 'choices' },
        h('label', {}, intoNew, ' A new repository'),
        h('label', {}, intoExisting, ' An existing empty repository')) }),
      explanation,
      field({ name: 'target.organizationId', label: 'Organization', control: targetOrg }),
      field({ name: 'target.project', label: 'Project', control: project }),
      nameField,
    ],
    required: { input: name, field: 'target.repository', message: 'Enter the name of the repository.' },
    start: () => api.restore(org.id, {
      repositoryId: repository.id,
      snapshotId,
      target: {
        organizationId: targetOrg.value,
        project: project.value.trim(),
        repository: name.value.trim(),
        create: intoNew.checked,
      },
    }),
    poll: (restoreId, options) => api.restoreStatus(org.id, restoreId, options),
    succeeded: restoredNotice,
    signal,
  });
}

function restoredNotice(restore) {
  const where = restore.target?.repository ? `${restore.target.project}/${restore.target.repository}` : 'the new repository';
  return h('div', { class: 'notice success', 'data-restore-done': '' },
    h('p', {}, h('strong', {}, 'Restored. '), `The snapshot is now in ${where}`,
      restore.targetUrl ? [' (', h('a', { href: restore.targetUrl, rel: 'noreferrer' }, restore.targetUrl), ')'] : null, '.'));
}

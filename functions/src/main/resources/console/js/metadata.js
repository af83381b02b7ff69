// Metadata: what lives outside git (pull requests, work items, pipelines, boards, and the
// organization's own settings). The organization view lists the projects that have metadata
// snapshots; a project's page lists its snapshots newest first with counts by kind and what was not
// backed up, downloads one as a zip, and restores one into an existing project.
import { api, ApiError, metadataZipUrl } from './api.js';
import { field, formatBytes, formatTime, h, replaceChildren, table } from './dom.js';
import { downloadExport } from './downloads.js';
import { restorePanel } from './restores.js';

const e = encodeURIComponent;
/** The project id under which the organization-level snapshot is stored (projects, users, groups…). */
export const ORGANIZATION_SCOPE = 'organization';
/** Up to this many "not backed up" entries show at once; more are collapsed behind a summary. */
const SHOWN_OMISSIONS = 5;

/**
 * Words for the kinds of documents (manifest names), singular and plural. Kinds not listed here
 * (new exporters add them) are named from their key: `pipelineRun` reads "pipeline runs".
 */
const KIND_WORDS = {
  pullRequest: ['pull request', 'pull requests'],
  pullRequestThreads: ['pull request with comments', 'pull requests with comments'],
  pullRequestIterations: ['pull request with its pushes', 'pull requests with their pushes'],
  workItem: ['work item', 'work items'],
  workItemRevisions: ['work item history', 'work item histories'],
  workItemComments: ['work item with comments', 'work items with comments'],
  workItemComment: ['work item comment', 'work item comments'],
  attachment: ['attachment', 'attachments'],
  buildDefinition: ['build pipeline', 'build pipelines'],
  releaseDefinition: ['release pipeline', 'release pipelines'],
  variableGroup: ['variable group', 'variable groups'],
  taskGroup: ['task group', 'task groups'],
  serviceEndpoint: ['service connection', 'service connections'],
  serviceConnection: ['service connection', 'service connections'],
  query: ['shared query', 'shared queries'],
  branchPolicy: ['branch policy', 'branch policies'],
  process: ['process', 'processes'],
  testPlan: ['test plan', 'test plans'],
  testSuite: ['test suite', 'test suites'],
  testCase: ['test case', 'test cases'],
  tfvcChangeset: ['TFVC changeset', 'TFVC changesets'],
  buildDefinitionSecret: ['secret pipeline variable', 'secret pipeline variables'],
  variableGroupSecret: ['secret variable of a variable group', 'secret variables of variable groups'],
};

/** `someKindName` as words: "some kind name" (acronyms kept: `tfvcURL` → "tfvc URL"). */
function words(key) {
  return String(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .split(' ')
    .map((word) => (/^[A-Z][a-z]/.test(word) ? word.toLowerCase() : word))
    .join(' ')
    .trim();
}

function plural(phrase) {
  if (/(s|x|ch|sh)$/.test(phrase)) return `${phrase}es`;
  if (/[^aeiou]y$/.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  return `${phrase}s`;
}

/** A kind in words for `count` of them: kindWords('workItem', 2) is "work items". */
export function kindWords(key, count = 1) {
  const known = KIND_WORDS[key];
  if (known) return count === 1 ? known[0] : known[1];
  const phrase = words(key) || 'item';
  return count === 1 ? phrase : plural(phrase);
}

const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** Kinds in a stable order: the known ones as listed above, then the others by key. */
function orderedKinds(counts) {
  const known = Object.keys(KIND_WORDS);
  const rank = (key) => (known.includes(key) ? known.indexOf(key) : known.length);
  return Object.keys(counts || {}).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Counts by kind as a list of readable phrases ("30 work items"), or a word when there are none. */
export function countsView(counts, { empty = 'Nothing' } = {}) {
  const kinds = orderedKinds(counts);
  if (kinds.length === 0) return h('p', { class: 'muted' }, empty);
  return h('ul', { class: 'counts', role: 'list' }, kinds.map((kind) => {
    const count = Number(counts[kind]) || 0;
    return h('li', { dataset: { kind, count: String(count) } }, `${count.toLocaleString()} ${kindWords(kind, count)}`);
  }));
}

const projectTitle = (project) => (project.projectId === ORGANIZATION_SCOPE
  ? 'Organization' : project.projectName || project.projectId);
const projectLink = (orgId, projectId) => `#/organizations/${e(orgId)}/metadata/${e(projectId)}`;
const addedBytes = (stats) => (stats
  ? (Number(stats.bytesWritten) || 0) + (Number(stats.indexBytesWritten) || 0) + (Number(stats.manifestBytes) || 0)
  : null);

/** The organization view's Metadata section: each project with its newest snapshot. `projects` may be an error. */
export function metadataSection(orgId, projects) {
  if (projects instanceof Error) {
    return h('div', { class: 'notice error', role: 'alert' }, h('p', {}, projects.message || String(projects)));
  }
  if (!projects || projects.length === 0) {
    return h('p', { class: 'muted' }, 'No pull requests, work items or pipelines are backed up yet. With the policy\'s '
      + '"Back up pull requests, work items, pipelines and boards" on, every backup saves them.');
  }
  return table('Projects with metadata snapshots', ['Project', 'Latest snapshot', 'Holds', 'Not backed up', 'Snapshots'],
    projects.map((project) => {
      const latest = project.latest || {};
      const omitted = Array.isArray(latest.notBackedUp) ? latest.notBackedUp.length : 0;
      return [
        h('a', { href: projectLink(orgId, project.projectId), 'data-metadata-project': project.projectId },
          projectTitle(project)),
        formatTime(latest.createdAt) || latest.snapshotId || '',
        countsView(latest.counts),
        omitted ? `${omitted} ${omitted === 1 ? 'item' : 'items'}` : 'Nothing',
        String(project.snapshots ?? ''),
      ];
    }));
}

/** A project's metadata snapshots, newest first (as the API lists them). */
export async function renderMetadata(main, orgId, projectId, { signal }) {
  const [org, organizations, snapshots] = await Promise.all([
    api.organization(orgId, { signal }),
    api.organizations({ signal }),
    api.metadataSnapshots(orgId, projectId, { signal }),
  ]);
  const orgName = org.url || org.id;
  const isOrganization = projectId === ORGANIZATION_SCOPE;
  const name = isOrganization ? 'Organization' : snapshots[0]?.projectName || projectId;
  const restoreBox = h('div', { id: 'metadata-restore-panel' });
  const cards = snapshots.map((snapshot) => snapshotCard(snapshot, {
    orgId, projectId, name, canRestore: !isOrganization, signal,
    onRestore: (snapshotId) => {
      replaceChildren(restoreBox, restoreForm({ org, organizations, projectId, name, snapshotId, signal }));
      restoreBox.querySelector('h2').focus();
    },
  }));
  replaceChildren(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/organizations' }, 'Organizations'), ' / ',
      h('a', { href: `#/organizations/${e(orgId)}` }, orgName), ` / ${name}`),
    h('h1', { tabindex: '-1' }, isOrganization ? 'Organization metadata' : `Metadata of ${name}`),
    h('p', { class: 'lead' }, isOrganization
      ? 'What the organization itself holds: projects, users and groups, extensions, agent pools and feeds.'
      : 'Pull requests, work items, pipelines and boards of the project, as each backup found them.'),
    h('section', { 'aria-labelledby': 'metadata-snapshots-title' },
      h('h2', { id: 'metadata-snapshots-title' }, 'Snapshots'),
      cards.length
        ? h('ol', { class: 'snapshot-list', role: 'list', 'aria-label': 'Metadata snapshots, newest first' },
          cards.map((card) => h('li', {}, card)))
        : h('p', { class: 'muted' }, 'No snapshot yet.')),
    restoreBox);
}

function snapshotCard(snapshot, { orgId, projectId, name, canRestore, signal, onRestore }) {
  const { snapshotId } = snapshot;
  const titleId = `metadata-snapshot-${snapshotId}`;
  const status = h('div', { class: 'download-status', role: 'status', 'aria-live': 'polite' });
  const download = h('button', { type: 'button', class: 'secondary', 'data-download-zip': snapshotId }, 'Download zip');
  download.addEventListener('click', () => downloadExport(download, status, {
    url: metadataZipUrl(orgId, projectId, snapshotId), what: 'zip',
    fileName: `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}-metadata-${snapshotId}.zip`, signal,
  }));
  const restore = canRestore
    ? h('button', { type: 'button', class: 'secondary', 'data-metadata-restore': snapshotId }, 'Restore into a project…')
    : null;
  restore?.addEventListener('click', () => onRestore(snapshotId));
  const omissions = Array.isArray(snapshot.notBackedUp) ? snapshot.notBackedUp : [];
  const total = Object.values(snapshot.counts || {}).reduce((sum, count) => sum + (Number(count) || 0), 0);
  return h('article', { class: 'panel snapshot', 'aria-labelledby': titleId, 'data-metadata-snapshot': snapshotId },
    h('h3', { id: titleId }, formatTime(snapshot.createdAt) || snapshotId),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Snapshot'), h('dd', {}, h('code', {}, snapshotId))),
      h('div', {}, h('dt', {}, 'Documents'), h('dd', {}, total.toLocaleString())),
      h('div', {}, h('dt', {}, 'Added to storage'), h('dd', {}, formatBytes(addedBytes(snapshot.stats)) || '—'))),
    h('h4', {}, 'What it holds'),
    countsView(snapshot.counts),
    h('h4', {}, 'Not backed up'),
    omissionsView(omissions),
    h('div', { class: 'row-actions' }, download, restore),
    status);
}

/**
 * What a snapshot (or a run's snapshots) left out and why; a long list is collapsed behind a
 * summary that says how long. An omission with a `project` names it.
 */
export function omissionsView(omissions) {
  if (omissions.length === 0) return h('p', { class: 'muted', 'data-not-backed-up': '0' }, 'Nothing: everything was read.');
  const list = h('ul', { class: 'omissions' }, omissions.map((omission) => h('li', {},
    omission.project ? `${omission.project}: ` : null,
    h('strong', {}, capitalized(kindWords(omission.kind, 1))), ' ', h('code', {}, omission.id || ''),
    `: ${omission.reason || 'no reason given'}`)));
  if (omissions.length <= SHOWN_OMISSIONS) return h('div', { 'data-not-backed-up': String(omissions.length) }, list);
  return h('details', { class: 'omissions-more', 'data-not-backed-up': String(omissions.length) },
    h('summary', {}, `${omissions.length} items were not backed up: show why`), list);
}

function restoreForm({ org, organizations, projectId, name, snapshotId, signal }) {
  const targetOrg = h('select', { name: 'organizationId' }, organizations.map((candidate) =>
    h('option', { value: candidate.id, selected: candidate.id === org.id }, candidate.url || candidate.id)));
  const project = h('input', { type: 'text', name: 'project', spellcheck: 'false', autocomplete: 'off' });
  const onConflict = h('select', { name: 'onConflict' },
    h('option', { value: 'skip', selected: true }, 'Leave it as it is, restore nothing in its place'),
    h('option', { value: 'rename' }, 'Restore the snapshot\'s beside it, as “name (restored)”'));
  const restoreRequest = (dryRun) => ({
    projectId, snapshotId, target: { organizationId: targetOrg.value, project: project.value.trim() },
    onConflict: onConflict.value, ...(dryRun ? { dryRun: true } : {}),
  });
  const plan = h('div', { class: 'restore-plan', role: 'status', 'aria-live': 'polite' });
  const preview = h('button', { type: 'button', class: 'secondary', 'data-metadata-restore-preview': '' },
    'Preview what it would do');
  preview.addEventListener('click', async () => {
    if (!project.value.trim()) {
      replaceChildren(plan, h('p', { class: 'field-error' }, 'Enter the name of an existing project.'));
      return;
    }
    preview.disabled = true;
    replaceChildren(plan, h('p', { class: 'muted' }, 'Reading the target project…'));
    try {
      replaceChildren(plan, planView(await api.restoreMetadata(org.id, restoreRequest(true))));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      replaceChildren(plan, h('p', { class: 'notice error', role: 'alert' },
        [error.detail, ...error.fieldErrors.map((f) => `${f.field} ${f.message}`)].join('; ')));
    } finally {
      preview.disabled = false;
    }
  });
  return restorePanel({
    key: 'metadata-restore',
    title: 'Restore metadata snapshot ',
    snapshotId,
    what: 'Metadata restore',
    fields: [
      h('p', { class: 'hint' }, 'Bunker creates the snapshot\'s build pipelines and work items (with their comments, '
        + 'attachments and links) in a project that already exists. People it cannot find there are replaced by the '
        + 'account Bunker signs in with, and listed when it is done. Secret variable values were never backed up: '
        + 'set them again after the restore.'),
      field({ name: 'target.organizationId', label: 'Organization', control: targetOrg }),
      field({ name: 'target.project', label: 'Existing project name', control: project,
        hint: `The project to restore into, e.g. an empty project created for it (this snapshot is of ${name}).` }),
      field({ name: 'onConflict', label: 'When the project already has one of the same name', control: onConflict,
        hint: 'A team, query, pipeline, variable or task group or test plan. Bunker never overwrites it.' }),
      h('div', { class: 'actions' }, preview),
      plan,
    ],
    required: { input: project, field: 'target.project', message: 'Enter the name of an existing project.' },
    start: () => api.restoreMetadata(org.id, restoreRequest(false)),
    poll: (restoreId, options) => api.metadataRestoreStatus(org.id, restoreId, options),
    succeeded: restoreReport,
    signal,
  });
}

/** A dry run's answer: what the restore would create, leave and rename (nothing was written). */
function planView(restorePlan) {
  const list = (items) => h('ul', {}, items.map((item) => h('li', {}, item)));
  const skip = Array.isArray(restorePlan.skip) ? restorePlan.skip : [];
  const rename = Array.isArray(restorePlan.rename) ? restorePlan.rename : [];
  const notes = Array.isArray(restorePlan.notes) ? restorePlan.notes : [];
  return h('div', { class: 'notice', 'data-metadata-restore-plan': '' },
    h('p', {}, h('strong', {}, 'Preview. '), 'Nothing was written. The restore would create:'),
    countsView(restorePlan.create, { empty: 'Nothing.' }),
    skip.length ? h('div', { dataset: { planSkip: String(skip.length) } },
      h('p', {}, 'It would leave these as they are (the project has one of the same name):'), list(skip)) : null,
    rename.length ? h('div', { dataset: { planRename: String(rename.length) } },
      h('p', {}, 'It would restore these beside the project\'s own, under another name:'), list(rename)) : null,
    notes.length ? h('div', {}, h('p', {}, 'Notes:'), list(notes)) : null);
}

function restoreReport(restore) {
  const unmapped = Array.isArray(restore.unmappedIdentities) ? restore.unmappedIdentities : [];
  const notes = Array.isArray(restore.notes) ? restore.notes : [];
  const skipped = Array.isArray(restore.skipped) ? restore.skipped : [];
  const renamed = Array.isArray(restore.renamed) ? restore.renamed : [];
  const collapsible = (summary, items, attribute) => {
    const list = h('ul', {}, items.map((item) => h('li', {}, item)));
    return items.length <= SHOWN_OMISSIONS
      ? h('div', { dataset: { [attribute]: String(items.length) } }, h('p', {}, summary), list)
      : h('details', { dataset: { [attribute]: String(items.length) } }, h('summary', {}, summary), list);
  };
  return h('div', { class: 'notice success', 'data-metadata-restore-done': '' },
    h('p', {}, h('strong', {}, 'Restored. '), `Created in ${restore.targetProject || 'the project'}:`),
    countsView(restore.created, { empty: 'Nothing: the snapshot held nothing Bunker restores.' }),
    skipped.length ? collapsible('Left as they were (the project had one of the same name):', skipped,
      'restoreSkipped') : null,
    renamed.length ? collapsible('Restored beside the project\'s own, under another name:', renamed,
      'restoreRenamed') : null,
    unmapped.length ? collapsible(
      `${unmapped.length} ${unmapped.length === 1 ? 'person' : 'people'} could not be found in the target; `
        + 'the restoring account stands in for them:', unmapped, 'unmappedIdentities') : null,
    notes.length ? collapsible('Notes:', notes, 'restoreNotes') : null);
}

// The dashboard: the protection report (GET /api/report) per organization, whether each repository
// and project's metadata is backed up within its policy, what needs attention and why, and how
// stored bytes, run durations and failures developed.
import { api } from './api.js';
import { chartFigure } from './charts.js';
import { badge, formatBytes, formatTime, h, norm, replaceChildren, table } from './dom.js';

const e = encodeURIComponent;

/** The statuses in the order a summary counts them; the sign repeats the word, never replaces it. */
const STATUSES = [
  { key: 'protected', total: 'protectedCount', word: 'protected', sign: '✓' },
  { key: 'atrisk', total: 'atRisk', word: 'at risk', sign: '!' },
  { key: 'failing', total: 'failing', word: 'failing', sign: '✕' },
  { key: 'never', total: 'never', word: 'never backed up', sign: '–' },
];
const NEEDS_ATTENTION = new Set(['atrisk', 'failing']);

export async function renderDashboard(main, { signal }) {
  const report = await api.report({ signal });
  const organizations = report.organizations || [];
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Dashboard'),
    h('p', { class: 'lead' }, 'Whether every repository and every project\'s metadata has a backup from its '
      + 'policy\'s last scheduled slot, as of ', formatTime(report.generatedAt), '.'),
    organizations.length === 0
      ? h('div', { class: 'empty' }, h('p', {}, 'No organization is backed up yet.'),
        h('p', {}, h('a', { class: 'button primary', href: '#/connect' }, 'Connect your first organization')))
      : organizations.map((organization) => organizationSection(organization, signal)));
}

function organizationSection(organization, signal) {
  const headingId = `dashboard-${organization.organizationId}`;
  const link = `#/organizations/${e(organization.organizationId)}`;
  return h('section', { class: 'dashboard-organization', 'aria-labelledby': headingId,
    dataset: { reportOrganization: organization.organizationId } },
  h('h2', { id: headingId }, h('a', { href: link }, organization.url)),
  h('p', { class: 'muted' }, scheduleSentence(organization)),
  summary(organization.totals),
  attention(organization, link),
  h('h3', { class: 'visually-hidden' }, `History of ${organization.url}`),
  h('div', { class: 'charts' }, charts(organization.history || {}, signal)));
}

function scheduleSentence(organization) {
  const parts = [];
  if (organization.dueSince) parts.push('Due since the slot of ', formatTime(organization.dueSince), '. ');
  parts.push(organization.nextSlot ? ['Next backup ', formatTime(organization.nextSlot), '.'] : 'Not scheduled.');
  return parts;
}

/** The counts by status, each as a number with its word. */
function summary(totals = {}) {
  const counted = (totals.repositories || 0) + (totals.metadataScopes || 0);
  return h('div', { class: 'protection-summary' },
    h('ul', { class: 'status-counts', role: 'list', 'aria-label': `Protection of ${counted} repositories and metadata scopes` },
      STATUSES.map((status) => h('li', { class: `status-count status-${status.key}`, dataset: { count: status.key } },
        h('span', { class: 'status-sign', 'aria-hidden': 'true' }, status.sign),
        h('strong', {}, String(totals[status.total] || 0)), ' ', status.word))),
    h('p', { class: 'muted' }, `${totals.repositories || 0} repositories and ${totals.metadataScopes || 0} `
      + `metadata scopes take ${formatBytes((totals.packBytes || 0) + (totals.metadataBytes || 0))} `
      + `(packs ${formatBytes(totals.packBytes || 0)}, metadata ${formatBytes(totals.metadataBytes || 0)}).`));
}

/** The repositories and metadata scopes at risk or failing, with the last error and the backup's age. */
function attention(organization, link) {
  const items = [
    ...(organization.repositories || []).map((repository) => ({
      what: h('a', { href: `${link}/repositories/${e(repository.repositoryId)}` },
        `${repository.project} / ${repository.name}`),
      ...repository })),
    ...(organization.metadata || []).map((scope) => ({
      what: h('a', { href: `${link}/metadata/${e(scope.projectId)}` }, `Metadata of ${scope.project}`),
      ...scope })),
  ].filter((item) => NEEDS_ATTENTION.has(norm(item.status)));
  if (items.length === 0) {
    return h('p', { class: 'notice success', dataset: { attention: 'none' } },
      'Nothing is at risk or failing.');
  }
  return h('div', { dataset: { attention: String(items.length) } },
    table(`At risk or failing in ${organization.url}`, ['Repository', 'Status', 'Last backup', 'Last error'],
      items.map((item) => [item.what, badge(item.status), lastBackup(item), lastError(item)])));
}

// Each cell's content is one element: on a phone a cell is a grid of its label and one item.
function lastBackup(item) {
  if (!item.lastSnapshotAt) return 'Never';
  return h('span', {}, formatAge(seconds(item.age)), ' ago (', formatTime(item.lastSnapshotAt), ')');
}

function lastError(item) {
  if (!item.lastError) return 'None recorded';
  return h('span', {}, h('span', { class: 'last-error' }, item.lastError), item.lastErrorAt
    ? h('span', { class: 'muted' }, ' (', formatTime(item.lastErrorAt), ')') : null);
}

function charts(history, signal) {
  const storage = history.storage || [];
  const runs = (history.runs || []).filter((run) => run.duration);
  const failures = history.failures || [];
  const total = (point) => point.packBytes + point.metadataBytes;
  const latest = storage[storage.length - 1];
  const longest = runs.reduce((max, run) => Math.max(max, seconds(run.duration)), 0);
  const failed = failures.reduce((sum, day) => sum + day.failures, 0);
  const failingDays = failures.filter((point) => point.failures).length;
  return [
    chartFigure({
      title: 'Stored bytes',
      summary: latest
        ? `${formatBytes(total(latest))} stored on ${day(latest.day)} (packs ${formatBytes(latest.packBytes)}, `
          + `metadata ${formatBytes(latest.metadataBytes)})${storage.length > 1
            ? `, ${formatBytes(total(storage[0]))} on ${day(storage[0].day)}` : ''}.`
        : 'Nothing stored yet.',
      x: storage.map((point) => dayStart(point.day)),
      xHeader: 'Day (UTC)',
      formatX: (time) => day(time),
      series: [
        { label: 'Git packs', values: storage.map((point) => point.packBytes), style: 'solid' },
        { label: 'Metadata', values: storage.map((point) => point.metadataBytes), style: 'dashed' },
      ],
      formatY: formatBytes,
      daily: true,
      signal,
    }),
    chartFigure({
      title: 'Run durations',
      summary: runs.length
        ? `${runs.length} finished ${runs.length === 1 ? 'run' : 'runs'}; the latest took `
          + `${formatAge(seconds(runs[runs.length - 1].duration))}, the longest ${formatAge(longest)}.`
        : 'No run has finished yet.',
      x: runs.map((run) => Date.parse(run.startedAt) / 1000),
      xHeader: 'Started',
      formatX: (time) => new Date(time * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
      series: [{ label: 'Duration', values: runs.map((run) => seconds(run.duration)), style: 'solid' }],
      formatY: formatAge,
      signal,
    }),
    chartFigure({
      title: 'Failures per day',
      summary: failed
        ? `${failed} failed ${failed === 1 ? 'backup' : 'backups'} on ${failingDays === failures.length
          ? daysText(failingDays) : `${failingDays} of the ${daysText(failures.length)}`} with runs.`
        : `No failure on the ${daysText(failures.length)} with runs.`,
      x: failures.map((point) => dayStart(point.day)),
      xHeader: 'Day (UTC)',
      formatX: (time) => day(time),
      series: [{ label: 'Failures', values: failures.map((point) => point.failures), style: 'bars' }],
      formatY: (value) => String(value),
      integers: true,
      daily: true,
      signal,
    }),
  ];
}

function daysText(count) {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}

/** A day of the report (`2025-03-04`, UTC) as seconds since the epoch. */
function dayStart(isoDay) {
  return Date.parse(`${isoDay}T00:00:00Z`) / 1000;
}

/** A UTC day, given as the report's ISO day or seconds since the epoch, in the browser's words. */
function day(value) {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(`${value}T00:00:00Z`);
  return date.toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
}

/** An ISO-8601 duration as Java writes it (`PT26H3M1.5S`, no days) in seconds. */
function seconds(duration) {
  const match = /^PT(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?$/.exec(duration || '');
  if (!match) return 0;
  return Number(match[1] || 0) * 3600 + Number(match[2] || 0) * 60 + Number(match[3] || 0);
}

const UNITS = [['day', 'days', 86400], ['hour', 'hours', 3600], ['min', 'min', 60], ['s', 's', 1]];

/** Seconds in the largest unit that is not zero and the one below it: "2 days 3 hours", "4 min 12 s", "0.8 s". */
function formatAge(total) {
  const value = Math.max(Number(total) || 0, 0);
  if (value < 10) return `${Math.round(value * 10) / 10} s`;
  const counts = [];
  let rest = Math.round(value);
  for (const [, , size] of UNITS) {
    counts.push(Math.floor(rest / size));
    rest %= size;
  }
  const first = counts.findIndex((count) => count > 0);
  return [first, first + 1].filter((index) => index < UNITS.length && counts[index] > 0)
    .map((index) => `${counts[index]} ${counts[index] === 1 ? UNITS[index][0] : UNITS[index][1]}`).join(' ');
}

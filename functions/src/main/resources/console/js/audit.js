// The audit trail (GET /api/audit): every admin call that changed something or tried to, newest
// first, filtered by organization and time, a page at a time. The filters live in the address
// (#/audit?organizationId=…&since=…, and `top` for another page size), so a filtered view can be
// reloaded and shared.
import { ApiError, api } from './api.js';
import { announce, badge, field, formatTime, h, replaceChildren, showErrors, table, tableRow } from './dom.js';

const DEFAULT_PAGE_SIZE = 50;
const HEADERS = ['Time', 'Who', 'Action', 'What', 'Outcome', 'From'];

export async function renderAudit(main, { signal }, query) {
  const filters = { organizationId: query.get('organizationId') || '', since: query.get('since') || '',
    top: query.get('top') || DEFAULT_PAGE_SIZE };
  const organizations = await api.organizations({ signal }).catch(() => []);
  const urls = new Map(organizations.map((organization) => [organization.id, organization.url]));
  const form = filterForm(filters, organizations);
  const results = h('div', { 'data-audit': '' });
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Audit trail'),
    h('p', { class: 'lead' }, 'Every admin call that changed something, or was refused, newest first: who, what, '
      + 'from where and how it ended. Entries cannot be changed or deleted; they are kept for at least a year.'),
    form, results);
  try {
    const page = await api.audit(filters, { signal });
    replaceChildren(results, entriesView(page, filters, urls, signal));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    showErrors(form, error.fieldErrors, error.detail);
  }
}

function filterForm(filters, organizations) {
  const organization = h('select', { name: 'organizationId' },
    h('option', { value: '' }, 'All organizations'),
    organizations.map((one) => h('option', { value: one.id, selected: one.id === filters.organizationId }, one.url)),
    filters.organizationId && !organizations.some((one) => one.id === filters.organizationId)
      ? h('option', { value: filters.organizationId, selected: true }, filters.organizationId) : null);
  const since = h('input', { type: 'date', name: 'since', value: filters.since });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the audit trail', novalidate: true },
    field({ name: 'organizationId', label: 'Organization', control: organization }),
    field({ name: 'since', label: 'Since', control: since, hint: 'From the start of this day (UTC).' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams(Object.entries({ organizationId: organization.value, since: since.value })
      .filter(([, value]) => value));
    window.location.hash = `#/audit${next.size ? `?${next}` : ''}`;
  });
  return form;
}

/** The first page's entries and a More button while there are more. */
function entriesView(page, filters, urls, signal) {
  if (page.entries.length === 0) {
    return h('p', { class: 'empty' }, filters.organizationId || filters.since
      ? 'No entry matches these filters.' : 'Nothing has been recorded yet.');
  }
  const view = table('Audit entries, newest first', HEADERS, page.entries.map((entry) => cells(entry, urls)));
  const body = view.querySelector('tbody');
  const status = h('p', { class: 'muted', role: 'status', 'data-audit-count': '' });
  const count = () => body.rows.length;
  status.textContent = `${count()} entries shown.`;
  let continuation = page.continuation;
  const more = h('button', { type: 'button', hidden: !continuation, 'data-audit-more': '' }, 'More');
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const next = await api.audit({ ...filters, continuation }, { signal });
      next.entries.forEach((entry) => body.append(tableRow(HEADERS, cells(entry, urls))));
      continuation = next.continuation;
      more.hidden = !continuation;
      status.textContent = `${count()} entries shown${continuation ? '' : ', all there are'}.`;
      announce(`${next.entries.length} more entries.`);
    } catch (error) {
      status.textContent = error.message;
    } finally {
      more.disabled = false;
    }
  });
  return [view, h('div', { class: 'actions' }, more), status];
}

function cells(entry, urls) {
  return [
    formatTime(entry.time),
    actor(entry.actor),
    h('span', { dataset: { action: entry.action } }, actionText(entry.action)),
    targets(entry, urls),
    [badge(entry.outcome), ' ', h('span', { class: 'muted' }, String(entry.status),
      entry.problem ? ` ${entry.problem}` : '')],
    entry.clientIp || h('span', { class: 'muted' }, 'Unknown'),
  ];
}

function actor(who = {}) {
  return [who.name || 'Unknown', who.objectId ? h('span', { class: 'muted' }, h('br'), h('code', {}, who.objectId)) : null];
}

/** `startBackup` as "Start backup": actions added later read well too. */
function actionText(action = '') {
  const text = action.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().replace(/\boauth\b/, 'OAuth');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The ids the call named, an organization as its URL with a link while it is known. */
function targets(entry, urls) {
  const named = Object.entries(entry.targets || {});
  if (entry.organizationId && !named.some(([key]) => key === 'organizationId')) {
    named.unshift(['organizationId', entry.organizationId]);
  }
  if (named.length === 0) return '';
  return h('ul', { class: 'audit-targets' }, named.map(([key, value]) => h('li', {},
    h('span', { class: 'muted' }, `${key}: `),
    key === 'organizationId' && urls.has(value)
      ? h('a', { href: `#/organizations/${encodeURIComponent(value)}` }, urls.get(value))
      : h('code', {}, value))));
}

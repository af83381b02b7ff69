// The policy form (docs/design.md §11.6): schedule by hours of the day or every N hours,
// auto-add, and in the full editor include/exclude patterns, wikis, metadata, retention and concurrency.
import { field, h, showForChoice, uid } from './dom.js';

export const DEFAULT_POLICY = {
  schedule: { hours: [1], timeZone: 'UTC' },
  autoAddNewRepositories: true,
  include: { projects: ['*'], repositories: ['*'] },
  exclude: { projects: [], repositories: [] },
  includeWikis: true,
  includeMetadata: true,
  retention: { keepLast: 7, keepDaily: 30, keepWeekly: 12, keepMonthly: 12, keepYearly: 3 },
  concurrency: 4,
};

const RETENTION = [
  ['keepLast', 'Keep the last', 'snapshots'],
  ['keepDaily', 'Keep one a day for', 'days'],
  ['keepWeekly', 'Keep one a week for', 'weeks'],
  ['keepMonthly', 'Keep one a month for', 'months'],
  ['keepYearly', 'Keep one a year for', 'years'],
];

function withDefaults(policy) {
  const p = policy || {};
  return {
    ...DEFAULT_POLICY,
    ...p,
    schedule: { ...(p.schedule || DEFAULT_POLICY.schedule) },
    include: { ...DEFAULT_POLICY.include, ...(p.include || {}) },
    exclude: { ...DEFAULT_POLICY.exclude, ...(p.exclude || {}) },
    retention: { ...DEFAULT_POLICY.retention, ...(p.retention || {}) },
  };
}

/**
 * Builds the policy fields. `prefix` is how the API names them in errors (`policy.` inside an
 * organization registration, empty for the policy endpoint). `full` adds everything beyond the
 * schedule and auto-add. Returns `{element, read()}`; `read()` gives the policy to send.
 */
export function policyFields(policy, { prefix = '', full = false } = {}) {
  const current = withDefaults(policy);
  const byInterval = current.schedule.everyHours !== undefined && current.schedule.everyHours !== null;
  const group = uid('schedule');

  const autoAdd = h('input', { type: 'checkbox', checked: current.autoAddNewRepositories !== false });
  const hoursMode = h('input', { type: 'radio', name: group, value: 'hours', checked: !byInterval });
  const intervalMode = h('input', { type: 'radio', name: group, value: 'interval', checked: byInterval });
  const hourBoxes = Array.from({ length: 24 }, (_, hour) => h('input', {
    type: 'checkbox', value: String(hour), checked: !byInterval && (current.schedule.hours || []).includes(hour),
  }));
  const everyHours = h('input', {
    type: 'number', inputmode: 'numeric', min: '1', max: '24', step: '1', class: 'narrow',
    value: byInterval ? String(current.schedule.everyHours) : '6',
  });
  const timeZoneList = uid('zones');
  const timeZone = h('input', {
    type: 'text', list: timeZoneList, autocomplete: 'off', spellcheck: 'false',
    value: current.schedule.timeZone || 'UTC',
  });

  const hoursField = field({
    name: `${prefix}schedule.hours`, label: 'Hours of the day', kind: 'fieldset',
    control: h('div', { class: 'hour-grid' }, hourBoxes.map((box) => {
      box.id = uid('hour');
      return h('label', { class: 'hour', for: box.id }, box, `${String(box.value).padStart(2, '0')}:00`);
    })),
  });
  const intervalField = field({
    name: `${prefix}schedule.everyHours`, label: 'Every how many hours', control: everyHours,
    hint: 'From 1 to 24.',
  });
  showForChoice([[hoursMode, hoursField], [intervalMode, intervalField]]);

  const schedule = field({
    name: `${prefix}schedule`, label: 'When to back up', kind: 'fieldset',
    control: h('div', {},
      h('div', { class: 'choices' },
        h('label', {}, hoursMode, ' At these hours of the day'),
        h('label', {}, intervalMode, ' Every N hours')),
      hoursField, intervalField,
      field({ name: `${prefix}schedule.timeZone`, label: 'Time zone', control: timeZone,
        hint: 'An IANA name such as UTC or Europe/Warsaw.' }),
      h('datalist', { id: timeZoneList }, TIME_ZONES.map((zone) => h('option', { value: zone })))),
  });

  const parts = [
    h('div', { class: 'field checkbox', dataset: { field: `${prefix}autoAddNewRepositories` } },
      h('p', { class: 'field-error', id: uid('error'), hidden: true }),
      h('label', {}, autoAdd, ' Automatically back up new repositories')),
    schedule,
  ];

  let readFull = () => ({});
  if (full) {
    const includeWikis = h('input', { type: 'checkbox', checked: current.includeWikis !== false });
    const includeMetadata = h('input', { type: 'checkbox', checked: current.includeMetadata !== false });
    const patterns = (values) => h('textarea', { rows: '2', spellcheck: 'false' }, (values || []).join('\n'));
    const includeProjects = patterns(current.include.projects);
    const includeRepositories = patterns(current.include.repositories);
    const excludeProjects = patterns(current.exclude.projects);
    const excludeRepositories = patterns(current.exclude.repositories);
    const retention = Object.fromEntries(RETENTION.map(([key]) => [key, h('input', {
      type: 'number', inputmode: 'numeric', min: '0', step: '1', class: 'narrow',
      value: String(current.retention[key] ?? ''),
    })]));
    const concurrency = h('input', {
      type: 'number', inputmode: 'numeric', min: '1', step: '1', class: 'narrow', value: String(current.concurrency ?? ''),
    });
    const patternHint = 'One name or pattern per line; * matches any text.';
    parts.push(
      h('div', { class: 'field checkbox', dataset: { field: `${prefix}includeWikis` } },
        h('p', { class: 'field-error', id: uid('error'), hidden: true }),
        h('label', {}, includeWikis, ' Include project wikis')),
      h('div', { class: 'field checkbox', dataset: { field: `${prefix}includeMetadata` } },
        h('p', { class: 'field-error', id: uid('error'), hidden: true }),
        h('label', {}, includeMetadata, ' Back up pull requests, work items, pipelines and boards')),
      field({
        name: `${prefix}include`, label: 'Include', kind: 'fieldset',
        control: h('div', { class: 'pair' },
          field({ name: `${prefix}include.projects`, label: 'Projects', control: includeProjects, hint: patternHint }),
          field({ name: `${prefix}include.repositories`, label: 'Repositories', control: includeRepositories })),
      }),
      field({
        name: `${prefix}exclude`, label: 'Exclude', kind: 'fieldset',
        control: h('div', { class: 'pair' },
          field({ name: `${prefix}exclude.projects`, label: 'Projects', control: excludeProjects, hint: patternHint }),
          field({ name: `${prefix}exclude.repositories`, label: 'Repositories', control: excludeRepositories })),
      }),
      field({
        name: `${prefix}retention`, label: 'Retention', kind: 'fieldset',
        control: h('div', { class: 'retention' }, RETENTION.map(([key, label, unit]) => field({
          name: `${prefix}retention.${key}`, label: `${label} (${unit})`, control: retention[key],
        }))),
      }),
      field({
        name: `${prefix}concurrency`, label: 'Repositories backed up at once', control: concurrency,
      }),
    );
    readFull = () => ({
      include: { projects: lines(includeProjects.value), repositories: lines(includeRepositories.value) },
      exclude: { projects: lines(excludeProjects.value), repositories: lines(excludeRepositories.value) },
      includeWikis: includeWikis.checked,
      includeMetadata: includeMetadata.checked,
      retention: Object.fromEntries(RETENTION.map(([key]) => [key, number(retention[key].value)])),
      concurrency: number(concurrency.value),
    });
  }

  return {
    element: h('div', { class: 'policy-fields' }, parts),
    /**
     * What the browser can tell is wrong with the schedule before anything is sent (the server checks
     * the same): `[{field, message}]`, empty when it may be sent.
     */
    check() {
      const errors = [];
      if (hoursMode.checked && !hourBoxes.some((box) => box.checked)) {
        errors.push({ field: `${prefix}schedule.hours`, message: 'Choose at least one hour of the day.' });
      }
      // A number field's value is '' for what is not a number at all, "2.5" or "99" as typed.
      if (intervalMode.checked && !/^(?:[1-9]|1\d|2[0-4])$/.test(everyHours.value.trim())) {
        errors.push({ field: `${prefix}schedule.everyHours`, message: 'Enter a whole number of hours from 1 to 24.' });
      }
      const zone = timeZone.value.trim() || 'UTC';
      if (TIME_ZONES.length > 1 && !TIME_ZONES.includes(zone)) {
        errors.push({ field: `${prefix}schedule.timeZone`,
          message: `"${zone}" is not a time zone this browser knows. Choose one from the list, such as UTC or Europe/Warsaw.` });
      }
      return errors;
    },
    read() {
      const zone = timeZone.value.trim() || 'UTC';
      const scheduleValue = intervalMode.checked
        ? { everyHours: number(everyHours.value), timeZone: zone }
        : { hours: hourBoxes.filter((box) => box.checked).map((box) => Number(box.value)), timeZone: zone };
      return { schedule: scheduleValue, autoAddNewRepositories: autoAdd.checked, ...readFull() };
    },
  };
}

/** Plain words for a policy, for the organization's summary. */
export function describePolicy(policy) {
  const p = withDefaults(policy);
  const zone = p.schedule.timeZone || 'UTC';
  const when = p.schedule.everyHours
    ? `every ${p.schedule.everyHours} hour${p.schedule.everyHours === 1 ? '' : 's'}`
    : `at ${(p.schedule.hours || []).map((hour) => `${String(hour).padStart(2, '0')}:00`).join(', ')} (${zone})`;
  const adds = p.autoAddNewRepositories === false ? 'new repositories need adding' : 'new repositories added automatically';
  const r = p.retention;
  return `Backs up ${when}; ${adds}; keeps the last ${r.keepLast}, ${r.keepDaily} daily, ${r.keepWeekly} weekly, `
    + `${r.keepMonthly} monthly and ${r.keepYearly} yearly snapshots`
    + `${p.includeMetadata === false ? '; pull requests, work items and pipelines are not backed up' : ''}.`;
}

function lines(text) {
  return text.split(/[\n,]/).map((line) => line.trim()).filter(Boolean);
}

/** A number, or the text as typed when it is not one, so the API can say what is wrong with it. */
function number(text) {
  const trimmed = String(text).trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

/** IANA time zone names this browser knows, UTC first; only UTC where it cannot list them. */
const TIME_ZONES = (() => {
  try {
    return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  } catch {
    return ['UTC'];
  }
})();

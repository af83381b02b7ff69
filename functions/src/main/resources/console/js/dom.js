// Small DOM helpers: building elements without innerHTML (so API text can never become markup),
// form fields with their error slots, and formatting for dates, sizes and statuses.

let uniqueCounter = 0;

/** A fresh id for label/description wiring. */
export function uid(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/**
 * Creates an element. `props`: attributes (strings), `class`, `dataset`, `on` (event handlers),
 * and properties for `value`, `checked`, `disabled`, `hidden`, `selected`. Children: nodes, strings,
 * arrays, null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (['value', 'checked', 'disabled', 'hidden', 'selected', 'open'].includes(key)) {
      element[key] = value;
    } else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * A labelled form field that can show an API error next to it. `name` is the API field it
 * concerns (e.g. `policy.schedule.everyHours`), used to place errors from problem+json.
 */
export function field({ name, label, control, hint, kind = 'div' }) {
  const errorId = uid('error');
  const hintId = hint ? uid('hint') : null;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const describedBy = [hintId].filter(Boolean);
  if (kind === 'fieldset') {
    const box = h('fieldset', { class: 'field', dataset: { field: name } },
      h('legend', {}, label),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      error, control);
    box.setAttribute('aria-describedby', [...describedBy, errorId].join(' '));
    return box;
  }
  if (!control.id) control.id = uid('input');
  if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '));
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: control.id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    error, control);
}

/** Removes every field error and the summary of a form. */
export function clearErrors(form) {
  for (const error of form.querySelectorAll('.field-error')) {
    error.textContent = '';
    error.hidden = true;
  }
  for (const invalid of form.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
  for (const box of form.querySelectorAll('.field.has-error')) box.classList.remove('has-error');
  const summary = form.querySelector('.error-summary');
  if (summary) summary.remove();
}

/**
 * Shows field errors (`[{field, message}]`, as in problem+json `errors`) next to the fields they
 * concern, plus a summary at the top of the form listing all of them. `detail` (the problem's own
 * words) appears only when no field error says more; `note` always does. Indexes such as
 * `hours[0]` point at the field `hours`; an error whose field the form does not have appears in
 * the summary only.
 */
export function showErrors(form, errors, detail, note) {
  clearErrors(form);
  const items = [];
  for (const { field: name, message } of errors) {
    const box = findField(form, name);
    if (box) {
      const slot = box.querySelector(':scope > .field-error');
      const sentence = message.charAt(0).toUpperCase() + message.slice(1);
      slot.textContent = slot.textContent ? `${slot.textContent} ${sentence}` : sentence;
      slot.hidden = false;
      box.classList.add('has-error');
      const control = box.querySelector('input, select, textarea');
      for (const input of box.querySelectorAll('input, select, textarea')) input.setAttribute('aria-invalid', 'true');
      if (control && !box.matches('fieldset')) {
        const ids = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
        ids.add(slot.id);
        control.setAttribute('aria-describedby', [...ids].join(' '));
      }
      const label = box.querySelector(':scope > label, :scope > legend, label')?.textContent.trim();
      items.push(h('li', {}, h('a', {
        href: '#', on: { click: (event) => { event.preventDefault(); control?.focus(); } },
      }, label ? `${label}: ${message}` : message)));
    } else {
      items.push(h('li', {}, name ? `${name}: ${message}` : message));
    }
  }
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h2', {}, 'There is a problem'),
    detail && errors.length === 0 ? h('p', {}, detail) : null,
    items.length ? h('ul', {}, items) : null,
    note ? h('p', {}, note) : null);
  form.prepend(summary);
  summary.focus();
}

function findField(form, name) {
  if (!name) return null;
  const boxes = [...form.querySelectorAll('[data-field]')];
  const byName = (candidate) => boxes.find((box) => box.dataset.field === candidate);
  // hours[0] -> hours; then walk up policy.schedule.hours -> policy.schedule -> policy; and try
  // with and without a leading "policy." (the policy endpoint takes the policy itself as its body).
  let path = name.replace(/\[\d+\]/g, '');
  const variants = (p) => [p, p.startsWith('policy.') ? p.slice(7) : `policy.${p}`];
  while (path) {
    for (const candidate of variants(path)) {
      const box = byName(candidate);
      if (box) return box;
    }
    const dot = path.lastIndexOf('.');
    path = dot > 0 ? path.slice(0, dot) : '';
  }
  return null;
}

/**
 * Shows each box only while its radio button (`[radio, box]` pairs of one group) is checked, now
 * and on every change. Returns the function that syncs them, for after a form reset.
 */
export function showForChoice(pairs) {
  const sync = () => {
    for (const [radio, box] of pairs) box.hidden = !radio.checked;
  };
  for (const [radio] of pairs) radio.addEventListener('change', sync);
  sync();
  return sync;
}

/**
 * Asks in the console's own modal dialog: `title`, `body` (nodes), a `confirm` button and Cancel.
 * Resolves true when `confirm` was chosen; Cancel and Escape resolve false. Focus starts on Cancel.
 */
export function confirmDialog({ title, body, confirm }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const cancel = h('button', { type: 'submit', value: 'cancel', class: 'secondary' }, 'Cancel');
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId },
      h('form', { method: 'dialog', class: 'stack' },
        h('h2', { id: titleId }, title),
        h('div', {}, body),
        h('div', { class: 'actions' }, h('button', { type: 'submit', value: 'confirm', class: 'danger' }, confirm), cancel)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** Tells screen-reader users (and everyone, briefly) what just happened. */
export function announce(message) {
  const region = document.getElementById('announcer');
  region.textContent = message;
  region.hidden = false;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { region.hidden = true; }, 6000);
}

/** The time zone this browser shows times in, e.g. "Europe/Warsaw". */
export const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A time as the browser's (or `timeZone`'s) date and time. */
export function formatTime(value, { timeZone } = {}) {
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return h('time', { datetime: date.toISOString() },
    date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }));
}

export function formatBytes(bytes) {
  if (bytes === undefined || bytes === null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Enum values in a form that does not depend on how the API spells them
 * (`PARTIALLY_SUCCEEDED`, `partiallySucceeded` and `partially-succeeded` are all `partiallysucceeded`).
 */
export function norm(value) {
  return value === undefined || value === null ? '' : String(value).toLowerCase().replace(/[^a-z]/g, '');
}

const STATUS_TEXT = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  partiallysucceeded: 'Partly succeeded',
  failed: 'Failed',
  protected: 'Protected',
  excluded: 'Excluded',
  disabled: 'Disabled',
  deletedatsource: 'Deleted at source',
  active: 'Active',
  consentneeded: 'Needs sign-in again',
  removed: 'Removed',
  verified: 'Verified',
  damaged: 'Damaged',
  atrisk: 'At risk',
  failing: 'Failing',
  never: 'Never backed up',
  refused: 'Refused',
};

/** A status as text in a badge: the colour only repeats what the word says. */
export function badge(status) {
  const key = norm(status);
  return h('span', { class: `badge badge-${key || 'unknown'}`, dataset: { status: key } },
    STATUS_TEXT[key] || (status ? String(status) : 'Unknown'));
}

/** A table that turns into labelled rows on a narrow screen (labels come from `data-label`). */
export function table(caption, headers, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'responsive' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, rows.map((cells) => tableRow(headers, cells)))));
}

/** One row of a {@link table}, for rows added later. */
export function tableRow(headers, cells) {
  return h('tr', {}, cells.map((cell, index) => h('td', { 'data-label': headers[index] }, cell)));
}

export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

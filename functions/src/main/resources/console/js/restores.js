// Restores, of a repository snapshot or of a metadata snapshot: the form's submit (a required
// field, the API's field errors next to their fields) and following the restore until it ends.
import { ApiError } from './api.js';
import { announce, badge, clearErrors, h, norm, replaceChildren, showErrors, sleep } from './dom.js';

const POLL_MS = 2000;

/**
 * The panel of a restore form: `title` and `snapshotId` as its heading, `fields` (nodes) then a
 * Restore button and the restore's status. `key` names its heading id (`${key}-title`) and the
 * status's and failure's data attributes (`data-${key}-status`, `data-${key}-failed`); `what`
 * names it in announcements ("Restore finished."). On submit: asks for `required`
 * (`{ input, field, message }`) when it is empty, else starts the restore (`start()` resolves to
 * it), then polls `poll(restoreId, { signal })` until it succeeds (`succeeded(restore)` is shown)
 * or fails.
 */
export function restorePanel({ key, title, snapshotId, what, fields, required, start, poll, succeeded, signal }) {
  const titleId = `${key}-title`;
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Restore');
  const status = h('div', { class: 'restore-status', role: 'status', 'aria-live': 'polite', [`data-${key}-status`]: '' });
  const form = h('form', { class: 'stack wide', novalidate: true, 'aria-labelledby': titleId },
    fields,
    h('div', { class: 'actions' }, submit),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!required.input.value.trim()) {
      showErrors(form, [{ field: required.field, message: required.message }]);
      return;
    }
    submit.disabled = true;
    try {
      const restore = await start();
      replaceChildren(status, h('p', {}, 'Restore queued…'));
      await watchRestore(restore.id, { status, poll, succeeded, what, failedMarker: `data-${key}-failed`, signal });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showErrors(form, error.fieldErrors, error.detail);
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': titleId },
    h('h2', { id: titleId, tabindex: '-1' }, title, h('code', {}, snapshotId)),
    form);
}

async function watchRestore(restoreId, { status, poll, succeeded, what, failedMarker, signal }) {
  while (!signal.aborted) {
    const restore = await poll(restoreId, { signal });
    const state = norm(restore.status);
    if (state === 'succeeded') {
      replaceChildren(status, succeeded(restore));
      announce(`${what} finished.`);
      return;
    }
    if (state === 'failed') {
      replaceChildren(status, h('div', { class: 'notice error', role: 'alert', [failedMarker]: '' },
        h('p', {}, h('strong', {}, 'Restore failed: '), restore.error || 'no reason given')));
      announce(`${what} failed.`);
      return;
    }
    replaceChildren(status, h('p', {}, badge(restore.status), restore.error ? ` Retrying: ${restore.error}` : ' Restoring…'));
    await sleep(POLL_MS, signal);
  }
}

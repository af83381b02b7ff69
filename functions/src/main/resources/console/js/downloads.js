// Downloads handed out from export blobs (bundles, metadata zips): the server answers 202 with
// Retry-After while it writes the export, then 303 to a short-lived link; a 500 `export-failed`
// problem says why every attempt failed.
import { requestBundle } from './api.js';
import { h, replaceChildren, sleep } from './dom.js';

/**
 * Gets the export at `url` (`what`: "bundle", "zip"): waits while the server is still writing it,
 * then lets the browser download it (following the 303 to the export blob, or from a 200 body).
 * Progress and problems go to `status` (a live region).
 */
export async function downloadExport(button, status, { url, what, fileName, signal }) {
  button.disabled = true;
  let next = url;
  try {
    for (;;) {
      const answer = await requestBundle(next, { signal });
      if (answer.ready) {
        const href = answer.blob ? URL.createObjectURL(answer.blob) : answer.href;
        const link = h('a', { href, download: fileName, 'data-download-link': what }, `download the ${what}`);
        replaceChildren(status, h('p', {}, 'Download started. If it did not, ', link, '.'));
        link.click();
        if (answer.blob) setTimeout(() => URL.revokeObjectURL(href), 60000);
        return;
      }
      replaceChildren(status, h('p', {},
        `Bunker is writing the ${what}; checking again in ${Math.round(answer.retryAfterSeconds)} s…`));
      await sleep(answer.retryAfterSeconds * 1000, signal);
      if (signal.aborted) return;
      next = answer.next;
    }
  } catch (error) {
    if (error.name === 'AbortError') return;
    const failed = String(error.type || '').endsWith('export-failed');
    replaceChildren(status, h('div', { class: 'notice error', role: 'alert', 'data-export-failed': failed ? '' : null },
      h('p', {}, failed ? [h('strong', {}, `${error.title || `The ${what} could not be written`}: `), error.detail]
        : error.message || String(error))));
  } finally {
    button.disabled = false;
  }
}

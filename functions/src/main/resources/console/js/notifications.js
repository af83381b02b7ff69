// Notifications: an organization's webhook targets (no URLs: the API shows only their hosts) and the
// "Send test notification" button, on the organization's page.
import { api } from './api.js';
import { announce, formatTime, h, replaceChildren, table } from './dom.js';

const KIND_TEXT = { teams: 'Microsoft Teams', slack: 'Slack', generic: 'Generic webhook' };
const DELIVERY_TEXT = { delivered: 'Delivered', retrying: 'Failed, retrying', failed: 'Failed' };

function events(target) {
  const names = [target.onFailure && 'failures', target.onSuccess && 'successes', target.dailySummary && 'daily summary'];
  return names.filter(Boolean).join(', ') || 'tests only';
}

function lastDelivery(delivery) {
  if (!delivery) return 'Nothing sent yet';
  const text = `${DELIVERY_TEXT[delivery.status] || delivery.status} ${formatTime(delivery.at)}`;
  return delivery.error ? [text, h('br'), h('span', { class: 'muted' }, delivery.error)] : text;
}

function targetsTable(targets) {
  if (!targets.length) {
    return h('p', { class: 'muted' }, 'No notification targets. Add Teams, Slack or generic webhooks with '
      + 'PUT /api/organizations/{id}/notifications (see the README).');
  }
  return table('Notification targets', ['Kind', 'Host', 'Sends', 'Last delivery'],
    targets.map((target) => [KIND_TEXT[target.kind] || target.kind, target.host, events(target),
      lastDelivery(target.lastDelivery)]));
}

/** The section's content: the targets and the test button; `errorNotice` shows a failed call. */
export function notificationsSection(id, settings, errorNotice) {
  const box = h('div', { 'data-notification-targets': '' }, targetsTable(settings.targets || []));
  const status = h('div', { class: 'action-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary', disabled: !(settings.targets || []).length },
    'Send test notification');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replaceChildren(status);
    try {
      const answer = await api.testNotifications(id);
      replaceChildren(box, targetsTable(answer.targets || []));
      const failed = (answer.targets || []).filter((target) => target.lastDelivery?.status !== 'delivered').length;
      announce(failed ? `Test notification failed for ${failed} target(s).` : 'Test notification sent.');
    } catch (error) {
      replaceChildren(status, errorNotice(error));
    } finally {
      button.disabled = false;
    }
  });
  return [box, h('div', { class: 'actions' }, button), status];
}

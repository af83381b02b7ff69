/** Notification targets per organization (Teams, Slack, signed generic webhooks) and the events sent to them: failures, successes, daily summaries. */
package dev.bunker.core.notify;

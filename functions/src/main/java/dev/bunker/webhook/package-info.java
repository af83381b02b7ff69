/** Delivers notifications to Teams, Slack and generic webhooks over HTTPS to allow-listed hosts, signing generic ones with HMAC-SHA256. */
package dev.bunker.webhook;

package dev.bunker.core.model;

/**
 * The admin calls that change something, each recorded in the audit trail. Their names in JSON and
 * in the audit table (camelCase: {@code createCredential}, {@code startBackup}…) are stable: audit
 * queries and alert rules use them.
 */
public enum AuditAction {
  CREATE_CREDENTIAL,
  DELETE_CREDENTIAL,
  REGISTER_ORGANIZATION,
  DELETE_ORGANIZATION,
  REPLACE_POLICY,
  START_BACKUP,
  REQUEST_RESTORE,
  /** Also a dry run, which plans and changes nothing: its entry has the target {@code dryRun} and status 200. */
  REQUEST_METADATA_RESTORE,
  /** An admin starts connecting an organization by Entra ID sign-in, or renewing its consent. */
  START_OAUTH_CONNECTION,
  /**
   * The sign-in's callback for an organization not yet connected by OAuth: it is connected, or why
   * not. Its actor is the admin who started the sign-in (the callback itself is anonymous), or
   * {@code anonymous} when the callback's state was refused.
   */
  FINISH_OAUTH_CONNECTION,
  /** The sign-in's callback for an organization already connected by OAuth: its consent renewed, or why not. */
  RENEW_OAUTH_CONSENT,
  /** The organization's notification targets replaced (the entry names no webhook URL). */
  REPLACE_NOTIFICATIONS,
  /** A test notification sent to every target of the organization. */
  SEND_TEST_NOTIFICATION
}

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
  /** The sign-in's callback: the organization is connected, or its consent renewed, or why not. */
  FINISH_OAUTH_CONNECTION,
  /** The organization's notification targets replaced (the entry names no webhook URL). */
  REPLACE_NOTIFICATIONS,
  /** A test notification sent to every target of the organization. */
  SEND_TEST_NOTIFICATION
}

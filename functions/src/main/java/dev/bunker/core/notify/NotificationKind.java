package dev.bunker.core.notify;

/** Which kind of webhook a target is, and so which message format it is sent. */
public enum NotificationKind {
  /** A Microsoft Teams incoming webhook or Workflows "when a Teams webhook request is received": an Adaptive Card. */
  TEAMS,
  /** A Slack incoming webhook: {@code text} plus Block Kit {@code blocks}. */
  SLACK,
  /** Any HTTPS endpoint: Bunker's own JSON document, signed with the target's signing secret. */
  GENERIC
}

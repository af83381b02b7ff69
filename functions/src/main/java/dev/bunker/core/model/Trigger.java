package dev.bunker.core.model;

/** What started a run. */
public enum Trigger {
  SCHEDULE,
  MANUAL
}

package dev.bunker.core;

/** What started a run. */
public enum Trigger {
  SCHEDULE,
  MANUAL
}

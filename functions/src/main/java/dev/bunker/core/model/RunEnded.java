package dev.bunker.core.model;

import java.time.Instant;

/**
 * How a run ended, as its results said then: written once on the run when its end is seen, so lists
 * of runs need not read every result of every run again. A run's results no longer change once it
 * has ended.
 */
public record RunEnded(RunStatus status, RunReport.Counts counts, Instant finishedAt) {}

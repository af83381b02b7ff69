package dev.bunker.ado.client;

import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/** What is learnt about one organization and shared by all calls to it. */
final class OrganizationState {
  final AtomicReference<String> apiVersion = new AtomicReference<>(AzureDevOpsClient.API_VERSIONS.get(0));
  final AtomicReference<Instant> pausedUntil = new AtomicReference<>();
  /** Whether a call has been answered, so {@link #apiVersion} is the organization's, not a first guess. */
  volatile boolean answered;
  /** Requests in flight at once (Azure DevOps counts usage per user). */
  final Semaphore inFlight;

  OrganizationState(int concurrency) {
    inFlight = new Semaphore(concurrency, true);
  }
}

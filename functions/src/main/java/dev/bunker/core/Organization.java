package dev.bunker.core;

import java.time.Instant;

/**
 * A registered Azure DevOps organization (or Server collection). {@code nextSlot} is the next time
 * the scheduler starts a run; deleting an organization clears it and sets {@code deletedAt}, keeping
 * every backup (registering the same URL again brings them back).
 */
public record Organization(
    String id,
    String url,
    OrganizationKind kind,
    CredentialKind auth,
    String credentialId,
    Policy policy,
    Instant nextSlot,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt) {

  public boolean isActive() {
    return deletedAt == null;
  }

  public Organization withNextSlot(Instant slot, Instant now) {
    return new Organization(id, url, kind, auth, credentialId, policy, slot, createdAt, now, deletedAt);
  }

  public Organization withPolicy(Policy newPolicy, Instant now) {
    return new Organization(
        id, url, kind, auth, credentialId, newPolicy, newPolicy.schedule().nextSlotAfter(now), createdAt, now, deletedAt);
  }

  public Organization deleted(Instant now) {
    return new Organization(id, url, kind, auth, credentialId, policy, null, createdAt, now, now);
  }
}

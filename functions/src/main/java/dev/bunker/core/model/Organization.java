package dev.bunker.core.model;

import java.time.Instant;

/**
 * A registered Azure DevOps organization (or Server collection). {@code nextSlot} is the next time
 * the scheduler starts a run; deleting an organization clears it and sets {@code deletedAt}, keeping
 * every backup (registering the same URL again brings them back). {@code consentNeededSince} is set
 * when the OAuth grant of an organization connected by OAuth was revoked or expired: it needs a new
 * sign-in (re-consent) before backups can run again.
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
    Instant deletedAt,
    Instant consentNeededSince) {

  /** An organization whose grant is fine. */
  public Organization(String id, String url, OrganizationKind kind, CredentialKind auth, String credentialId,
      Policy policy, Instant nextSlot, Instant createdAt, Instant updatedAt, Instant deletedAt) {
    this(id, url, kind, auth, credentialId, policy, nextSlot, createdAt, updatedAt, deletedAt, null);
  }

  public boolean isActive() {
    return deletedAt == null;
  }

  public Organization withNextSlot(Instant slot, Instant now) {
    return new Organization(id, url, kind, auth, credentialId, policy, slot, createdAt, now, deletedAt,
        consentNeededSince);
  }

  public Organization withPolicy(Policy newPolicy, Instant now) {
    return new Organization(
        id, url, kind, auth, credentialId, newPolicy, newPolicy.schedule().nextSlotAfter(now), createdAt, now,
        deletedAt,
        consentNeededSince);
  }

  public Organization deleted(Instant now) {
    return new Organization(id, url, kind, auth, credentialId, policy, null, createdAt, now, now, consentNeededSince);
  }

  /** The OAuth grant stopped working at {@code now}: the organization needs a new sign-in. */
  public Organization consentNeeded(Instant now) {
    return new Organization(id, url, kind, auth, credentialId, policy, nextSlot, createdAt, now, deletedAt, now);
  }

  /** A new sign-in renewed the grant. */
  public Organization consentRenewed(Instant now) {
    return new Organization(id, url, kind, auth, credentialId, policy, nextSlot, createdAt, now, deletedAt, null);
  }
}

package dev.bunker.core.oauth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the token endpoint granted: an access token for Azure DevOps until {@code expiresAt}, and
 * usually a new refresh token (Entra ID rotates them: the newest must be kept).
 */
public record TokenGrant(String accessToken, Optional<String> refreshToken, Instant expiresAt) {
  public TokenGrant {
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(refreshToken, "refreshToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Never prints the tokens. */
  @Override
  public String toString() {
    return "TokenGrant[expiresAt=" + expiresAt + ", refreshToken=" + (refreshToken.isPresent() ? "present" : "absent")
        + "]";
  }
}

package dev.bunker.ado.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * How Bunker proves who it is to an organization, for REST and git alike: always as an
 * {@code Authorization} header, never inside a URL. {@code toString()} never shows the secret.
 */
public sealed interface Credential {

  /** A personal access token, sent as Basic with an empty user name. */
  static Credential personalAccessToken(String token) {
    return new PersonalAccessToken(token);
  }

  /** An OAuth (Microsoft Entra ID) access token from {@code source}, sent as Bearer. */
  static Credential oauth(AccessTokenSource source) {
    return new OAuth(source);
  }

  /** The {@code Authorization} header value. A secret: never log it or put it in a message. */
  String authorization();

  /** {@code pat} or {@code oauth}. */
  String kind();

  /** A personal access token. */
  final class PersonalAccessToken implements Credential {
    private final String header;

    private PersonalAccessToken(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("a personal access token must not be blank");
      }
      this.header = "Basic " + Base64.getEncoder()
          .encodeToString((":" + token.trim()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String authorization() {
      return header;
    }

    @Override
    public String kind() {
      return "pat";
    }

    @Override
    public String toString() {
      return "PersonalAccessToken[redacted]";
    }
  }

  /** A bearer token source. */
  final class OAuth implements Credential {
    private final AccessTokenSource source;

    private OAuth(AccessTokenSource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public String authorization() {
      String token = source.accessToken();
      if (token == null || token.isBlank()) {
        throw new IllegalStateException("the access token source gave no token");
      }
      return "Bearer " + token;
    }

    @Override
    public String kind() {
      return "oauth";
    }

    @Override
    public String toString() {
      return "OAuth[redacted]";
    }
  }
}

package dev.bunker.core.oauth;

import dev.bunker.core.port.SecretStore;
import dev.bunker.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the OAuth {@code state}, and derives each sign-in's PKCE verifier from the
 * same key, so the verifier is never stored nor sent through the browser. The key lives in the
 * secret store and is made on first use.
 *
 * <p>Format: {@code v1.<organization URL, base64url>.<nonce>.<expiry, epoch seconds>.<step>.<HMAC-SHA256>},
 * the step being {@code u} (a sign-in), {@code c} (an administrator's consent for the tenant) or
 * {@code a} (the sign-in after that consent).
 */
final class StateSigner {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final int MAX_LENGTH = 4096;

  private final SecretStore secrets;
  private final String keyName;
  private final Random random;
  private final AtomicReference<byte[]> key = new AtomicReference<>();

  StateSigner(SecretStore secrets, String keyName, Random random) {
    this.secrets = secrets;
    this.keyName = keyName;
    this.random = random;
  }

  /** A sign-in in progress, as its state carries it. */
  record SignIn(String organizationUrl, String nonce, Instant expiresAt, Step step) {}

  /** Where in connecting an organization a state was issued. */
  enum Step {
    /** Signing in, consenting for oneself if asked. */
    SIGN_IN("u"),
    /** An administrator consenting for the whole tenant (Entra's admin consent endpoint: no code). */
    ADMIN_CONSENT("c"),
    /** Signing in once the administrator has consented for the tenant. */
    SIGN_IN_AFTER_ADMIN_CONSENT("a");

    private final String code;

    Step(String code) {
      this.code = code;
    }

    static Step of(String code) {
      for (Step step : values()) {
        if (step.code.equals(code)) {
          return step;
        }
      }
      return null;
    }
  }

  String newNonce() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  String sign(SignIn signIn) {
    String payload = String.join(".", "v1",
        BASE64URL.encodeToString(signIn.organizationUrl().getBytes(StandardCharsets.UTF_8)),
        signIn.nonce(), Long.toString(signIn.expiresAt().getEpochSecond()), signIn.step().code);
    return payload + "." + BASE64URL.encodeToString(hmac("state:" + payload));
  }

  /** The sign-in the state describes, if this app signed it; expiry and reuse are checked by the caller. */
  SignIn verify(String state) {
    if (state == null || state.isEmpty()) {
      throw new InvalidStateException(InvalidStateException.Reason.MISSING);
    }
    String[] parts = state.length() > MAX_LENGTH ? new String[0] : state.split("\\.", -1);
    if (parts.length != 6 || !parts[0].equals("v1") || !NONCE.matcher(parts[2]).matches()
        || Step.of(parts[4]) == null) {
      throw new InvalidStateException(InvalidStateException.Reason.MALFORMED);
    }
    String payload = state.substring(0, state.lastIndexOf('.'));
    byte[] signature;
    String organizationUrl;
    long expiry;
    try {
      signature = BASE64URL_DECODER.decode(parts[5]);
      organizationUrl = new String(BASE64URL_DECODER.decode(parts[1]), StandardCharsets.UTF_8);
      expiry = Long.parseLong(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new InvalidStateException(InvalidStateException.Reason.MALFORMED);
    }
    if (!MessageDigest.isEqual(signature, hmac("state:" + payload))) {
      throw new InvalidStateException(InvalidStateException.Reason.FORGED);
    }
    return new SignIn(organizationUrl, parts[2], Instant.ofEpochSecond(expiry), Step.of(parts[4]));
  }

  /** The PKCE code verifier of sign-in {@code nonce}: 43 characters, as RFC 7636 allows. */
  String pkceVerifier(String nonce) {
    return BASE64URL.encodeToString(hmac("pkce:" + nonce));
  }

  static String pkceChallenge(String verifier) {
    return BASE64URL.encodeToString(Sha256.of(verifier)); // the verifier is ASCII: its UTF-8 bytes
  }

  private byte[] hmac(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(), "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }

  private byte[] key() {
    byte[] current = key.get();
    if (current == null) {
      current = loadOrCreateKey();
      key.compareAndSet(null, current);
      current = key.get();
    }
    return current;
  }

  private byte[] loadOrCreateKey() {
    var stored = secrets.get(keyName);
    if (stored.isEmpty()) {
      byte[] fresh = new byte[32];
      random.nextBytes(fresh);
      secrets.put(keyName, Base64.getEncoder().encodeToString(fresh));
      // Two instances may both create one: the last write wins, and both use what was kept.
      stored = secrets.get(keyName);
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(stored.orElseThrow(
          () -> new IllegalStateException(
              "the state signing key '" + keyName + "' vanished right after it was stored")));
      if (bytes.length < 32) {
        throw new IllegalStateException("the state signing key '" + keyName + "' is shorter than 32 bytes");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the state signing key '" + keyName + "' is not base64", e);
    }
  }
}

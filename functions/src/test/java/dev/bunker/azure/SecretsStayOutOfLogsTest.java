package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import dev.bunker.core.oauth.AccessTokenSource;
import dev.bunker.core.oauth.Authorization;
import dev.bunker.core.oauth.InMemoryOAuthStateLedger;
import dev.bunker.core.oauth.OAuthCallback;
import dev.bunker.core.oauth.OAuthConnector;
import dev.bunker.core.oauth.OAuthSettings;
import dev.bunker.core.port.SecretStore;
import dev.bunker.testing.FakeKeyVault;
import dev.bunker.testing.LogCapture;
import dev.bunker.testing.ManualClock;
import dev.bunker.testing.MockEntraId;
import dev.bunker.testing.SelfSignedCertificate;
import dev.bunker.testing.TrustingHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * Runs the secret-handling paths, good and bad, and scans everything they logged, printed and
 * threw for the PAT, client secret, codes and tokens they handled.
 */
class SecretsStayOutOfLogsTest {
  private static final String PAT = "pat-4kq2zv9x7w3m1r8t5y6u0p";
  private static final String CLIENT_SECRET = "entra-client-secret-Qx8~9vR2";
  private static final String VAULT_TOKEN = "vault-token-for-the-scan";

  private final List<String> secretsSeen = new ArrayList<>(List.of(PAT, CLIENT_SECRET, VAULT_TOKEN));
  private final StringBuilder thrown = new StringBuilder();

  @TempDir
  Path dataDir;

  @Test
  void noSecretReachesLogsOutputOrExceptions() throws Exception {
    LogCapture capture = LogCapture.start();
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(out, printed), true));
    System.setErr(new PrintStream(new Tee(err, printed), true));
    try (FakeKeyVault vault = new FakeKeyVault(SelfSignedCertificate.forLocalhost(), VAULT_TOKEN);
        MockEntraId entra = new MockEntraId()) {
      exerciseSecretStores(vault);
      exerciseOAuth(entra, vault);
    } finally {
      System.setOut(out);
      System.setErr(err);
      capture.close();
    }

    String logs = String.join("\n", capture.lines());
    assertThat(logs).contains("sign-in completed for organization https://dev.azure.com/contoso")
        .contains("was revoked or expired");
    assertThat(thrown).contains("403").contains("invalid_grant");
    String everything = logs + "\n" + printed.toString(StandardCharsets.UTF_8) + "\n" + thrown;
    assertThat(secretsSeen).hasSizeGreaterThan(8);
    for (String secret : secretsSeen) {
      assertThat(everything).as("output and errors must not contain a secret").doesNotContain(secret);
    }
  }

  private void exerciseSecretStores(FakeKeyVault vault) throws Exception {
    SecretStore keyVault = keyVaultStore(vault, VAULT_TOKEN);
    keyVault.put("pat-contoso", PAT);
    keyVault.get("pat-contoso");
    keyVault.delete("pat-contoso");
    keyVault.put("pat-contoso", PAT);
    vault.forbidNext(3);
    attempt(() -> keyVault.put("pat-forbidden", PAT));
    attempt(() -> keyVault.get("pat-contoso"));
    attempt(() -> keyVault.delete("pat-contoso"));
    attempt(() -> keyVaultStore(vault, "wrong-token").put("pat-contoso", PAT));
    attempt(() -> keyVault.put("bad_name", PAT));

    Path file = dataDir.resolve("secrets.json");
    LocalFileSecretStore local = LocalFileSecretStore.open(file, Map.of());
    local.put("pat-local", PAT);
    Files.writeString(file, Files.readString(file).replace("}", ""));
    attempt(() -> local.get("pat-local"));
    attempt(() -> local.put("pat-local", PAT));
  }

  private void exerciseOAuth(MockEntraId entra, FakeKeyVault vault) {
    SecretStore secrets = keyVaultStore(vault, VAULT_TOKEN);
    secrets.put("oauth-client-secret", CLIENT_SECRET);
    ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
    OAuthSettings settings = EntraOAuthTest.settings(entra.authority());
    EntraTokenEndpoint endpoint =
        new EntraTokenEndpoint(settings, secrets, EntraTokenEndpoint.defaultHttpClient(), clock);
    OAuthConnector connector = new OAuthConnector(settings, secrets, new InMemoryOAuthStateLedger(), endpoint, clock,
        new SecureRandom());
    AccessTokenSource accessTokens = new AccessTokenSource(endpoint, secrets, clock);

    Map<String, String> callback =
        entra.signIn(connector.authorizationUrl("https://dev.azure.com/contoso", false, EntraOAuthTest.STARTED_BY));
    secretsSeen.add(callback.get("code"));
    Authorization authorization = connector.complete(connector.accept(OAuthCallback.fromQuery(callback)));
    secretsSeen.add(authorization.grant().accessToken());
    secretsSeen.add(authorization.grant().refreshToken().orElseThrow());
    accessTokens.remember("oauth-contoso", authorization.grant());
    attempt(() -> connector.complete(connector.accept(OAuthCallback.fromQuery(callback))));

    clock.advance(Duration.ofMinutes(58));
    secretsSeen.add(accessTokens.accessToken("oauth-contoso"));
    String rotated = secrets.get("oauth-contoso").orElseThrow();
    secretsSeen.add(rotated);

    Map<String, String> other =
        entra.signIn(connector.authorizationUrl("https://dev.azure.com/contoso", false, EntraOAuthTest.STARTED_BY));
    Map<String, String> stolen = new HashMap<>(
        entra.signIn(connector.authorizationUrl("https://dev.azure.com/contoso", false, EntraOAuthTest.STARTED_BY)));
    secretsSeen.add(other.get("code"));
    stolen.put("code", other.get("code"));
    attempt(() -> connector.complete(connector.accept(OAuthCallback.fromQuery(stolen))));

    entra.revoke(rotated);
    clock.advance(Duration.ofHours(1));
    attempt(() -> accessTokens.accessToken("oauth-contoso"));

    URI authorize = connector.authorizationUrl("https://dev.azure.com/contoso", false, EntraOAuthTest.STARTED_BY);
    assertThat(authorize.toString()).doesNotContain(CLIENT_SECRET);
  }

  private static SecretStore keyVaultStore(FakeKeyVault vault, String token) {
    TokenCredential identity = request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    return KeyVaultSecretStore.connect(vault.vaultUri(), identity, TrustingHttpClient.trusting(vault.certificate()));
  }

  private void attempt(Runnable action) {
    try {
      action.run();
      throw new AssertionError("expected a failure");
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      thrown.append(e).append('\n').append(trace).append('\n');
    }
  }

  /** Copies what is printed to a buffer while still printing it. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}

package dev.bunker.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.World;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.Secret;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A run's backups read their organization's secret once, and a changed secret still arrives soon. */
class RunCredentialsTest {
  private final World world = new World("2026-05-01T10:00:00Z");
  private final RunCredentials credentials = new RunCredentials(world.bunker.credentials(), world.clock);
  private final Credential pat =
      world.bunker.credentials().get(world.registerContoso(null).credentialId());

  private String token(GitCredential credential) {
    return credential.token().reveal();
  }

  @Test
  void theBackupsOfARunReadTheSecretOnce() {
    int before = world.secrets.reads();
    for (int i = 0; i < 10; i++) {
      assertThat(token(credentials.unlock("run-1", pat.id()))).isEqualTo(World.TOKEN);
    }
    assertThat(world.secrets.reads() - before).isOne();
  }

  @Test
  void eachRunReadsTheSecretAgain() {
    credentials.unlock("run-1", pat.id());
    world.secrets.put(pat.secretName(), "pat-rotated-0123456789");
    assertThat(token(credentials.unlock("run-2", pat.id()))).isEqualTo("pat-rotated-0123456789");
  }

  @Test
  void aSecretChangedDuringARunArrivesAfterAFailureOrTheLifetime() {
    credentials.unlock("run-1", pat.id());
    world.secrets.put(pat.secretName(), "pat-rotated-0123456789");
    assertThat(token(credentials.unlock("run-1", pat.id()))).as("kept for the run").isEqualTo(World.TOKEN);
    credentials.forget("run-1");
    assertThat(token(credentials.unlock("run-1", pat.id()))).as("after a failure").isEqualTo("pat-rotated-0123456789");

    world.secrets.put(pat.secretName(), "pat-rotated-again-0123456789");
    world.clock.advance(RunCredentials.LIFETIME.minus(Duration.ofSeconds(1)));
    assertThat(token(credentials.unlock("run-1", pat.id()))).isEqualTo("pat-rotated-0123456789");
    world.clock.advance(Duration.ofSeconds(1));
    assertThat(token(credentials.unlock("run-1", pat.id()))).as("after the lifetime")
        .isEqualTo("pat-rotated-again-0123456789");
  }

  @Test
  void oauthAccessTokensAreLeftToTheirSource() {
    Credential oauth = world.bunker.credentials().storeOAuthGrant("signed in", Secret.of("refresh-0123456789"));
    int before = world.secrets.reads();
    credentials.unlock("run-1", oauth.id());
    credentials.unlock("run-1", oauth.id());
    assertThat(world.secrets.reads() - before).as("the world's token source reads its grant each time").isEqualTo(2);
  }

  @Test
  void atMostABoundedNumberOfRunsKeepASecret() {
    for (int run = 0; run <= RunCredentials.MAX_RUNS; run++) {
      credentials.unlock("run-" + run, pat.id());
    }
    int before = world.secrets.reads();
    credentials.unlock("run-0", pat.id());
    assertThat(world.secrets.reads() - before).as("the oldest were let go").isOne();
  }
}

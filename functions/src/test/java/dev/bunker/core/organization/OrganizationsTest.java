package dev.bunker.core.organization;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.bunker.core.World;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.OrganizationAddress;
import dev.bunker.core.model.OrganizationKind;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.PolicyInput.PatternsInput;
import dev.bunker.core.model.RegisterOrganization;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OrganizationsTest {
  private final World world = new World("2026-05-01T10:00:00Z");
  private final Organizations organizations = world.bunker.organizations();

  @Test
  void registeringWithAnInlinePatStoresItAsACredential() {
    Organization organization = world.registerContoso(null);
    assertThat(organization.url()).isEqualTo(World.CONTOSO);
    assertThat(organization.kind()).isEqualTo(OrganizationKind.CLOUD);
    assertThat(organization.auth()).isEqualTo(CredentialKind.PAT);
    assertThat(organization.nextSlot()).isEqualTo(Instant.parse("2026-05-02T01:00:00Z"));
    Credential credential = world.bunker.credentials().get(organization.credentialId());
    assertThat(world.secrets.get(credential.secretName())).contains(World.TOKEN);
    assertThat(organizations.list()).containsExactly(organization);
  }

  @Test
  void registeringListsTheRepositoriesAndThePolicyAtTheFirstDiscoveryDecidesWhatItProtects() {
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    world.source.addRepository(World.CONTOSO, "Legacy", "old", RepositoryKind.GIT);
    Organization organization = world.registerContoso(aPolicy().autoAddingNewRepositories(false)
        .excluding(new PatternsInput(List.of("Legacy"), List.of())).build());
    assertThat(states(organization)).containsOnly(entry("api", RepositoryState.PROTECTED),
        entry("old", RepositoryState.EXCLUDED));

    // before the first backup: the policy widened, a repository added; both are the first listing's
    organizations.replacePolicy(organization.id(), aPolicy().autoAddingNewRepositories(false).build());
    world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    assertThat(states(organization)).containsOnly(entry("api", RepositoryState.PROTECTED),
        entry("old", RepositoryState.PROTECTED), entry("web", RepositoryState.PROTECTED));

    // after it, new repositories wait for the policy to add them
    world.source.addRepository(World.CONTOSO, "Team", "later", RepositoryKind.GIT);
    world.clock.advance(Duration.ofHours(1));
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    assertThat(states(organization)).containsEntry("later", RepositoryState.EXCLUDED)
        .containsEntry("old", RepositoryState.PROTECTED);
  }

  private Map<String, RepositoryState> states(Organization organization) {
    return world.bunker.inventory().repositories(organization.id()).stream()
        .collect(Collectors.toMap(Repository::name, Repository::state));
  }

  @Test
  void aRegistrationWhoseListingFailsStillRegistersAndLeavesTheListingToTheFirstRun() {
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    world.source.failNextListings(1);
    Organization organization = world.registerContoso(null);

    assertThat(organizations.list()).containsExactly(organization);
    assertThat(world.bunker.inventory().repositories(organization.id())).isEmpty();
  }

  @Test
  void aRegistrationWhoseListingOutlastsItsBudgetStopsItRegistersAndLeavesTheListingToTheFirstRun()
      throws InterruptedException {
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    world.source.stallNextListings(1);
    Organizations patient = new Organizations(world.catalog.organizations(), world.bunker.credentials(),
        world.source, new RepositoryStates(world.catalog.repositories(), world.catalog.runs(), world.clock),
        world.clock, Duration.ofMillis(200));

    Organization organization = patient.register(new RegisterOrganization(World.CONTOSO, null, World.TOKEN, null,
        null));

    assertThat(organizations.list()).containsExactly(organization);
    assertThat(world.bunker.inventory().repositories(organization.id())).isEmpty();
    assertThat(world.source.stalledListingStopped(Duration.ofSeconds(10))).as("the listing's thread is stopped")
        .isTrue();
    world.bunker.runs().startNow(organization.id(), null);
    assertThat(world.queue.all()).extracting(item -> item.getClass().getSimpleName()).containsExactly("Discover");
  }

  @Test
  void theSameUrlSpelledDifferentlyIsTheSameOrganization() {
    Organization organization = world.registerContoso(null);
    assertThatThrownBy(() -> organizations.register(
        new RegisterOrganization("HTTPS://Dev.Azure.com/contoso/", null, World.TOKEN, null, null)))
        .isInstanceOf(ConflictException.class).hasMessageContaining(organization.id());
    assertThat(world.secrets.all()).hasSize(1);
  }

  @Test
  void oneOrganizationCannotBeRegisteredTwiceThroughAnySpellingOfItsUrl() {
    Organization organization = world.registerContoso(null);
    for (String spelling : List.of("https://dev.azure.com:443/contoso", "https://dev.azure.com/CONTOSO",
        "https://dev.azure.com/cont%6Fso", "https://dev.azure.com/contoso//", "https://contoso.visualstudio.com/",
        "https://Contoso.visualstudio.com:443/DefaultCollection")) {
      assertThatThrownBy(
          () -> organizations.register(new RegisterOrganization(spelling, null, World.TOKEN, null, null)))
          .as(spelling)
          .isInstanceOf(ConflictException.class).hasMessageContaining("'" + organization.id() + "'");
    }
    assertThat(world.catalog.organizations().list()).hasSize(1);
    assertThat(world.secrets.all()).hasSize(1);
  }

  @Test
  void anOrganizationUrlIsStoredInOneCanonicalSpelling() {
    assertThat(OrganizationAddress.parse("url", "HTTPS://Dev.Azure.com:443//cont%6Fso/").url())
        .isEqualTo("https://dev.azure.com/contoso");
    assertThat(OrganizationAddress.parse("url", "http://ado.contoso.local:80/tfs/My%2fCollection").url())
        .isEqualTo("http://ado.contoso.local/tfs/My%2FCollection");
    assertThat(OrganizationAddress.parse("url", "https://ado.contoso.local:8443/tfs/DefaultCollection").url())
        .isEqualTo("https://ado.contoso.local:8443/tfs/DefaultCollection");
  }

  @Test
  void aRejectedCredentialStoresNothing() {
    assertThatThrownBy(() -> organizations.register(
        new RegisterOrganization(World.CONTOSO, null, "wrong-token", null, null)))
        .isInstanceOfSatisfying(SourceException.class,
            e -> assertThat(e.reason()).isEqualTo(SourceException.Reason.CREDENTIAL_NOT_ACCEPTED));
    assertThat(organizations.list()).isEmpty();
    assertThat(world.secrets.all()).isEmpty();
    assertThat(world.catalog.credentials().list()).isEmpty();
  }

  @Test
  void aUrlOffTheAllowListStoresNothing() {
    assertThatThrownBy(() -> organizations.register(
        new RegisterOrganization("https://evil.example/collection", null, World.TOKEN, null, null)))
        .isInstanceOfSatisfying(SourceException.class,
            e -> assertThat(e.reason()).isEqualTo(SourceException.Reason.URL_NOT_ALLOWED));
    assertThat(world.secrets.all()).isEmpty();
  }

  @Test
  void anOAuthGrantRegistersWithFreshAccessTokens() {
    world.source.organization("https://dev.azure.com/fabrikam", "access-for-refresh-token-1");
    Credential grant = world.bunker.credentials().storeOAuthGrant("signed in as admin@fabrikam",
        Secret.of("refresh-token-1"));
    Organization organization = organizations.register(
        new RegisterOrganization("https://dev.azure.com/fabrikam", grant.id(), null, null, null));
    assertThat(organization.auth()).isEqualTo(CredentialKind.OAUTH);
    world.secrets.delete(grant.secretName());
    assertThatThrownBy(() -> world.bunker.credentials().unlock(grant.id()))
        .isInstanceOfSatisfying(SourceException.class,
            e -> assertThat(e.reason()).isEqualTo(SourceException.Reason.CREDENTIAL_NOT_ACCEPTED));
  }

  @Test
  void aServerCollectionIsAServerOrganization() {
    world.source.allow("https://ado.contoso.local/").organization("https://ado.contoso.local/tfs/DefaultCollection",
        "t0k3n-value");
    Organization organization = organizations.register(new RegisterOrganization(
        "https://ado.contoso.local/tfs/DefaultCollection", null, "t0k3n-value", null, null));
    assertThat(organization.kind()).isEqualTo(OrganizationKind.SERVER);
  }

  @Test
  void malformedRequestsListEveryBadField() {
    assertThatThrownBy(() -> organizations.register(new RegisterOrganization("ftp://x", null, null, null,
        aPolicy().concurrency(99).build())))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field).containsExactly("url", "credentialId", "policy.concurrency"));
    assertThatThrownBy(() -> organizations.register(
        new RegisterOrganization("https://user:pw@dev.azure.com/contoso", null, World.TOKEN, null, null)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field).containsExactly("url"));
    assertThatThrownBy(() -> organizations.register(
        new RegisterOrganization(World.CONTOSO, "no-such-credential", null, null, null)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field).containsExactly("credentialId"));
    assertThat(world.source.calls()).isZero();
  }

  @Test
  void deletingStopsSchedulingAndRegisteringAgainKeepsTheId() {
    Organization organization = world.registerContoso(null);
    organizations.delete(organization.id());
    assertThat(organizations.list()).isEmpty();
    assertThatThrownBy(() -> organizations.get(organization.id())).isInstanceOf(NotFoundException.class);
    assertThat(world.catalog.organizations().find(organization.id()).orElseThrow().value().nextSlot()).isNull();
    Organization again = world.registerContoso(null);
    assertThat(again.id()).isEqualTo(organization.id());
    assertThat(again.createdAt()).isEqualTo(organization.createdAt());
  }

  @Test
  void connectingAgainWithTheSameTokenReusesItsCredential() {
    Organization first = world.registerContoso(null);
    organizations.delete(first.id());
    world.clock.advance(Duration.ofDays(1));
    Organization again = world.registerContoso(null);

    assertThat(again.credentialId()).isEqualTo(first.credentialId());
    assertThat(world.catalog.credentials().list()).singleElement().satisfies(credential -> {
      assertThat(credential.name()).isEqualTo("PAT for " + World.CONTOSO + " (added 2026-05-01)");
      assertThat(credential.lastValidatedAt()).isEqualTo(world.clock.instant());
    });
    assertThat(world.secrets.all()).hasSize(1);
  }

  @Test
  void aNewTokenGetsACredentialNamedForTheDayItWasAdded() {
    Organization first = world.registerContoso(null);
    organizations.delete(first.id());
    world.clock.advance(Duration.ofDays(1));
    world.source.organization(World.CONTOSO, "pat-rotated-9876543210");
    Organization rotated = organizations.register(
        new RegisterOrganization(World.CONTOSO, null, "pat-rotated-9876543210", null, null));

    assertThat(rotated.credentialId()).isNotEqualTo(first.credentialId());
    assertThat(world.catalog.credentials().list()).extracting(Credential::name).containsExactly(
        "PAT for " + World.CONTOSO + " (added 2026-05-01)", "PAT for " + World.CONTOSO + " (added 2026-05-02)");
  }

  @Test
  void theSameTokenWithAnotherUsernameIsAnotherCredential() {
    Organization first = world.registerContoso(null);
    organizations.delete(first.id());
    Organization again =
        organizations.register(new RegisterOrganization(World.CONTOSO, null, World.TOKEN, "svc", null));
    assertThat(again.credentialId()).isNotEqualTo(first.credentialId());
    assertThat(world.catalog.credentials().list()).extracting(Credential::name).containsExactlyInAnyOrder(
        "PAT for " + World.CONTOSO + " (added 2026-05-01)", "PAT for " + World.CONTOSO + " (added 2026-05-01, 2)");
  }

  @Test
  void replacingThePolicyReschedulesFromNow() {
    Organization organization = world.registerContoso(null);
    Policy policy = organizations.replacePolicy(organization.id(),
        aPolicy().atHours("Europe/Warsaw", 12).build());
    assertThat(organizations.policy(organization.id())).isEqualTo(policy);
    // 12:00 in Warsaw in May is 10:00Z, which is now; so tomorrow
    assertThat(organizations.get(organization.id()).nextSlot()).isEqualTo(Instant.parse("2026-05-02T10:00:00Z"));
  }

  @Test
  void anInvalidPolicyChangesNothing() {
    Organization organization = world.registerContoso(null);
    assertThatThrownBy(() -> organizations.replacePolicy(organization.id(),
        aPolicy().concurrency(0).build())).isInstanceOf(ValidationException.class);
    assertThat(organizations.get(organization.id())).isEqualTo(organization);
  }
}

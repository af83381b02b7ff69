package dev.bunker.core.organization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.World;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.CreateCredential;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RegisterOrganization;
import dev.bunker.core.model.ValidationException;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private final World world = new World("2026-05-01T10:00:00Z");
  private final Credentials credentials = world.bunker.credentials();

  @Test
  void aPatGoesToTheSecretStoreAndTheCatalogKeepsOnlyItsName() {
    Credential credential = credentials.create(new CreateCredential("build agent", World.TOKEN, null, null));
    assertThat(credential.kind()).isEqualTo(CredentialKind.PAT);
    assertThat(world.secrets.get(credential.secretName())).contains(World.TOKEN);
    assertThat(credentials.list()).containsExactly(credential);
    assertThat(credential.toString()).doesNotContain(World.TOKEN);
  }

  @Test
  void anExistingKeyVaultSecretCanBeReferenced() {
    world.secrets.put("team-pat", World.TOKEN);
    Credential credential = credentials.create(new CreateCredential("team", null, null, "team-pat"));
    assertThat(credential.kind()).isEqualTo(CredentialKind.KEY_VAULT_SECRET);
    assertThat(credentials.unlock(credential.id()).token().reveal()).isEqualTo(World.TOKEN);
  }

  @Test
  void aMissingKeyVaultSecretIsABadRequestAndStoresNothing() {
    assertThatThrownBy(() -> credentials.create(new CreateCredential("team", null, null, "nope")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("keyVaultSecretName"));
    assertThat(credentials.list()).isEmpty();
  }

  @Test
  void tokenAndReferenceTogetherOrNeitherAreRejected() {
    assertThatThrownBy(() -> credentials.create(new CreateCredential("x", "t", null, "s")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> credentials.create(new CreateCredential("x", null, null, null)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> credentials.create(new CreateCredential(" ", "t", null, null)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("name"));
    assertThatThrownBy(() -> credentials.create(new CreateCredential("x", null, null, "bad name!")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("keyVaultSecretName"));
    assertThat(world.secrets.all()).isEmpty();
  }

  @Test
  void aCredentialInUseCannotBeDeleted() {
    Credential credential = credentials.create(new CreateCredential("shared", World.TOKEN, null, null));
    Organization organization = world.bunker.organizations()
        .register(new RegisterOrganization(World.CONTOSO, credential.id(), null, null, null));
    assertThat(credential.lastValidatedAt()).isNull();
    assertThat(credentials.get(credential.id()).lastValidatedAt()).isEqualTo(world.clock.instant());
    assertThatThrownBy(() -> credentials.delete(credential.id()))
        .isInstanceOf(ConflictException.class).hasMessageContaining(organization.id());
    world.bunker.organizations().delete(organization.id());
    credentials.delete(credential.id());
    assertThat(credentials.list()).isEmpty();
    assertThat(world.secrets.all()).isEmpty();
  }

  @Test
  void deletingAReferenceLeavesTheKeyVaultSecretAlone() {
    world.secrets.put("team-pat", World.TOKEN);
    Credential credential = credentials.create(new CreateCredential("team", null, null, "team-pat"));
    credentials.delete(credential.id());
    assertThat(world.secrets.get("team-pat")).contains(World.TOKEN);
  }

  @Test
  void unknownCredentialsAreNotFound() {
    assertThatThrownBy(() -> credentials.delete("nope")).isInstanceOf(NotFoundException.class);
  }
}

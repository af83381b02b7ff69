package dev.bunker.ado;

import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.AzureDevOpsException;
import dev.bunker.ado.client.AzureDevOpsLfs;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.CredentialNotAcceptedException;
import dev.bunker.ado.client.InvalidOrganizationUrlException;
import dev.bunker.ado.client.OrganizationNotAllowedException;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.client.Project;
import dev.bunker.ado.client.Repository;
import dev.bunker.ado.export.AzureDevOpsMetadata;
import dev.bunker.ado.restore.AzureDevOpsRestore;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceException.Reason;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.port.MetadataDirectory;
import dev.bunker.core.port.SourceDirectory;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.MetadataTarget;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreLedger;
import dev.bunker.metadata.RestorePlan;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.metadata.SnapshotReader;
import dev.bunker.store.LfsPointer;
import dev.bunker.store.LfsReceiver;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The domain's {@link SourceDirectory} and {@link MetadataDirectory} over the {@link
 * AzureDevOpsClient}: every failure becomes a {@link SourceException} whose reason says what a user
 * can do, and whose message names the organization, never the credential.
 */
public final class AdoSourceDirectory implements SourceDirectory, MetadataDirectory {
  private final AzureDevOpsClient client;

  public AdoSourceDirectory(AzureDevOpsClient client) {
    this.client = client;
  }

  @Override
  public AdoSourceDirectory withinRequest() {
    return new AdoSourceDirectory(client.withinRequest());
  }

  @Override
  public void connect(SourceAccess access) {
    call(access, (organization, credential) -> client.connect(organization, credential));
  }

  @Override
  public List<SourceRepository> repositories(SourceAccess access) {
    return call(access, (organization, credential) -> client.repositories(organization, credential).stream()
        .map(AdoSourceDirectory::toSource)
        .toList());
  }

  @Override
  public Optional<SourceRepository> findRepository(SourceAccess access, String project, String name) {
    return call(access, (organization, credential) -> {
      try {
        return client.repositories(organization, credential, project).stream()
            .filter(repository -> repository.name().equalsIgnoreCase(name))
            .findFirst()
            .map(AdoSourceDirectory::usable);
      } catch (AzureDevOpsRequestException e) {
        if (e.isNotFound()) {
          throw new SourceException(Reason.NOT_FOUND, "project '" + project + "' does not exist in " + organization, e);
        }
        throw e;
      }
    });
  }

  @Override
  public SourceRepository createRepository(SourceAccess access, String project, String name) {
    return call(access, (organization, credential) -> {
      Project target = client.projects(organization, credential).stream()
          .filter(p -> p.name().equalsIgnoreCase(project) || p.id().equalsIgnoreCase(project))
          .findFirst()
          .orElseThrow(() -> new SourceException(Reason.NOT_FOUND,
              "project '" + project + "' does not exist in " + organization));
      try {
        return usable(client.createRepository(organization, credential, target.id(), name));
      } catch (AzureDevOpsRequestException e) {
        if (e.isConflict() || (e.typeKey() != null && e.typeKey().contains("AlreadyExists"))) {
          throw new SourceException(Reason.CONFLICT,
              "repository " + project + "/" + name + " already exists in " + organization, e);
        }
        throw e;
      }
    });
  }

  @Override
  public List<ProjectRef> projects(SourceAccess access) {
    return call(access, (organization, credential) -> client.projects(organization, credential).stream()
        .map(project -> new ProjectRef(project.id(), project.name()))
        .toList());
  }

  @Override
  public MetadataSource reader(SourceAccess access) {
    return (project, sink) -> call(access, (organization, credential) -> {
      AzureDevOpsMetadata.of(client, organization, credential).export(project, sink);
      return null;
    });
  }

  @Override
  public MetadataTarget writer(SourceAccess access) {
    return new MetadataTarget() {
      @Override
      public RestoreReport restore(SnapshotReader snapshot, ProjectRef project, OnConflict onConflict,
          RestoreLedger ledger) {
        return call(access, (organization, credential) -> AzureDevOpsRestore.of(client, organization, credential)
            .restore(snapshot, project, onConflict, ledger));
      }

      @Override
      public RestorePlan plan(SnapshotReader snapshot, ProjectRef project, OnConflict onConflict) {
        return call(access, (organization, credential) -> AzureDevOpsRestore.of(client, organization, credential)
            .plan(snapshot, project, onConflict));
      }
    };
  }

  /**
   * Downloads the Git LFS objects of {@code pointers} from {@code repository}'s LFS server into
   * {@code sink} (those it cannot offer are reported to the sink with why).
   */
  public void lfsObjects(GitEndpoint repository, List<LfsPointer> pointers, LfsReceiver sink) {
    URI remote = URI.create(repository.url());
    call(new SourceAccess(organizationOf(repository.url()), repository.credential()), (organization, credential) -> {
      new AzureDevOpsLfs(client.exchange()).download(organization, credential, remote, pointers, sink);
      return null;
    });
  }

  /**
   * Uploads the Git LFS objects of {@code pointers} that {@code repository}'s LFS server asks for,
   * each read through {@code open}, with the credential of the repository's endpoint (a restore's
   * target organization). Returns how many were uploaded.
   */
  public int lfsUpload(GitEndpoint repository, List<LfsPointer> pointers,
      java.util.function.Function<LfsPointer, java.io.InputStream> open) {
    URI remote = URI.create(repository.url());
    return call(new SourceAccess(organizationOf(repository.url()), repository.credential()),
        (organization, credential) -> new AzureDevOpsLfs(client.exchange()).upload(organization, credential, remote,
            pointers, open));
  }

  /**
   * The organization of a remote URL ({@code <organization>/<project>/_git/<name>}, or {@code
   * <organization>/_git/<name>} for a repository named like its project).
   */
  static String organizationOf(String remoteUrl) {
    int git = remoteUrl.indexOf("/_git/");
    String before = git < 0 ? remoteUrl : remoteUrl.substring(0, git);
    String withoutProject = before.substring(0, before.lastIndexOf('/'));
    try {
      return OrganizationUrl.parse(withoutProject).toString();
    } catch (InvalidOrganizationUrlException e) {
      return before;
    }
  }

  /** The HTTP headers git sends for {@code credential} (secret: never log them). */
  public Map<String, String> gitHeaders(GitCredential credential) {
    return client.gitHeaders(toClientCredential(credential));
  }

  /** A domain credential as the client sends it: Basic for a PAT, Bearer for an OAuth access token. */
  static Credential toClientCredential(GitCredential credential) {
    String token = credential.token().reveal();
    return credential.scheme() == GitCredential.Scheme.BEARER
        ? Credential.oauth(() -> token)
        : Credential.personalAccessToken(token);
  }

  private <T> T call(SourceAccess access, BiFunction<OrganizationUrl, Credential, T> work) {
    OrganizationUrl organization;
    try {
      organization = OrganizationUrl.parse(access.organizationUrl());
    } catch (InvalidOrganizationUrlException e) {
      throw new SourceException(Reason.URL_NOT_ALLOWED, e.getMessage());
    }
    try {
      client.allowList().check(organization);
      return work.apply(organization, toClientCredential(access.credential()));
    } catch (AzureDevOpsException e) {
      throw translate(e);
    }
  }

  static SourceException translate(AzureDevOpsException e) {
    if (e instanceof OrganizationNotAllowedException) {
      return new SourceException(Reason.URL_NOT_ALLOWED, e.getMessage(), e);
    }
    if (e instanceof CredentialNotAcceptedException) {
      return new SourceException(Reason.CREDENTIAL_NOT_ACCEPTED, e.getMessage(), e);
    }
    if (e instanceof AzureDevOpsRequestException request) {
      int status = request.status();
      Reason reason = status == 404 ? Reason.NOT_FOUND
          : status == 409 ? Reason.CONFLICT
          : status == 403 ? Reason.ACCESS_DENIED
          : Reason.UNAVAILABLE;
      return new SourceException(reason, e.getMessage(), e);
    }
    return new SourceException(Reason.UNAVAILABLE, e.getMessage(), e);
  }

  private static SourceRepository toSource(Repository repository) {
    return new SourceRepository(repository.id(), repository.projectId(), repository.projectName(), repository.name(),
        repository.projectWiki() ? RepositoryKind.WIKI : RepositoryKind.GIT,
        repository.remoteUrl() == null ? null : repository.remoteUrl().toString(),
        repository.disabled(), repository.isEmpty(), repository.unusableBecause());
  }

  /** A repository to restore into: git must reach it. */
  private static SourceRepository usable(Repository repository) {
    if (repository.unusableBecause() != null) {
      throw new SourceException(Reason.URL_NOT_ALLOWED, "repository " + repository.projectName() + "/"
          + repository.name() + " cannot be restored into: " + repository.unusableBecause());
    }
    return toSource(repository);
  }
}

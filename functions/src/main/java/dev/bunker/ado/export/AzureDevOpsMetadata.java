package dev.bunker.ado.export;

import dev.bunker.ado.client.Api;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.AzureDevOpsException;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.CredentialNotAcceptedException;
import dev.bunker.ado.client.OrganizationNotAllowedException;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.ProjectRef;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One organization's project metadata as Bunker backs it up: pull requests with threads, work
 * items with revisions, comments and attachments, build definitions and variable groups, release
 * definitions, task groups, environments, service connections, agent queues and YAML pipelines,
 * boards and project settings (paths, process, queries, teams, boards, dashboards, policies, test
 * plans), TFVC history; and for the {@link ProjectRef#ORGANIZATION} scope what belongs to no project
 * (see {@link OrganizationExport}). Reads go through the client's exchange (throttling, retries,
 * bounded concurrency per organization).
 */
public final class AzureDevOpsMetadata implements MetadataSource {

  private static final Logger LOG = Logger.getLogger("dev.bunker.ado");
  /** The largest file (a TFVC file version) read into memory; larger ones are listed as not backed up. */
  static final long MAX_FILE_BYTES = 64L << 20;

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;
  private final int parallelism;
  private final int wiqlPageSize;

  private AzureDevOpsMetadata(AzureDevOpsClient client, OrganizationUrl organization, Credential credential,
      int parallelism, int wiqlPageSize) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
    this.parallelism = parallelism;
    this.wiqlPageSize = wiqlPageSize;
  }

  /** Reads with up to 4 calls at a time, WIQL pages of 10,000 ids (Azure DevOps refuses more than 20,000). */
  public static AzureDevOpsMetadata of(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    return of(client, organization, credential, 4, 10_000);
  }

  public static AzureDevOpsMetadata of(AzureDevOpsClient client, OrganizationUrl organization, Credential credential,
      int parallelism, int wiqlPageSize) {
    if (parallelism < 1 || wiqlPageSize < 1 || wiqlPageSize > 20_000) {
      throw new IllegalArgumentException("parallelism must be at least 1 and the WIQL page 1 to 20,000 ids");
    }
    return new AzureDevOpsMetadata(client, organization, credential, parallelism, wiqlPageSize);
  }

  @Override
  public void export(ProjectRef project, MetadataSink sink) {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
      Thread thread = new Thread(runnable, "metadata-" + project.id());
      thread.setDaemon(true);
      return thread;
    });
    try {
      Calls calls = new Calls(client.exchange(), organization, credential, pool);
      if (project.isOrganization()) {
        new OrganizationExport(calls, client.pageSize()).parts()
            .forEach((what, part) -> part(sink, what, project, () -> part.accept(sink)));
        return;
      }
      part(sink, "pullRequests", project, () -> new PullRequestExport(calls, client.pageSize()).export(project,
          client.repositories(organization, credential, project.id()), sink));
      part(sink, "workItems", project, () -> new WorkItemExport(calls, wiqlPageSize).export(project, sink));
      part(sink, "buildDefinitions", project, () -> new PipelineExport(calls, client.pageSize())
          .buildDefinitions(project, sink));
      part(sink, "variableGroups", project, () -> new PipelineExport(calls, client.pageSize())
          .variableGroups(project, sink));
      PipelineResourceExport pipelines = new PipelineResourceExport(calls, client.pageSize());
      part(sink, "releaseDefinitions", project,
          () -> new ReleaseExport(calls, client.pageSize()).export(project, sink));
      part(sink, "taskGroups", project, () -> pipelines.taskGroups(project, sink));
      part(sink, "environments", project, () -> pipelines.environments(project, sink));
      part(sink, "serviceConnections", project, () -> pipelines.serviceConnections(project, sink));
      part(sink, "agentQueues", project, () -> pipelines.agentQueues(project, sink));
      part(sink, "pipelines", project, () -> pipelines.pipelines(project, sink));
      BoardsExport boards = new BoardsExport(calls, client.pageSize());
      part(sink, "classificationNodes", project, () -> boards.classificationNodes(project, sink));
      part(sink, "workItemTypes", project, () -> boards.workItemTypes(project, sink));
      part(sink, "process", project, () -> boards.process(project, sink));
      part(sink, "queries", project, () -> boards.queries(project, sink));
      part(sink, "policyConfigurations", project, () -> boards.policies(project, sink));
      part(sink, "teams", project, () -> new TeamExport(calls, client.pageSize()).export(project, sink));
      part(sink, "testPlans", project, () -> new TestPlanExport(calls).export(project, sink));
      part(sink, "tfvc", project, () -> new TfvcExport(calls, client.pageSize(), MAX_FILE_BYTES).export(project, sink));
    } finally {
      pool.shutdownNow();
    }
  }

  /** A part that fails is listed as not backed up; an unaccepted credential or a disallowed URL ends the run. */
  private void part(MetadataSink sink, String what, ProjectRef project, Runnable export) {
    try {
      export.run();
    } catch (CredentialNotAcceptedException | OrganizationNotAllowedException e) {
      throw e;
    } catch (AzureDevOpsException e) {
      LOG.log(Level.WARNING, () -> "Could not back up " + what + " of project " + project.id() + " in "
          + organization + ": " + e.getMessage());
      sink.omit(what, project.id(), "could not be read: " + e.getMessage());
    }
  }

  /**
   * Whether the organization lacks {@code api}; if so, {@code kind} of {@code id} is listed as
   * not backed up, saying so, and nothing is called.
   */
  static boolean lacks(Calls calls, Api api, MetadataSink sink, MetadataKind kind, String id) {
    Optional<String> why = api.missing(calls.organization(), calls.apiVersion());
    why.ifPresent(reason -> sink.omit(kind.key(), id, reason));
    return why.isPresent();
  }

}

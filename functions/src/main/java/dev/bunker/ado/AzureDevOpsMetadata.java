package dev.bunker.ado;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.ProjectRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
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
  static final ObjectMapper JSON = new ObjectMapper();
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
      part(sink, "releaseDefinitions", project, () -> new ReleaseExport(calls, client.pageSize()).export(project, sink));
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

  /** The calls the exporters make, with their documents' shared helpers. */
  record Calls(Exchange exchange, OrganizationUrl organization, Credential credential, ExecutorService pool) {

    /** Calls that read one thing at a time, as a restore does: without a pool, so not for {@link #forEach}. */
    static Calls sequential(Exchange exchange, OrganizationUrl organization, Credential credential) {
      return new Calls(exchange, organization, credential, null);
    }

    JsonNode get(String path) {
      return exchange.get(organization, credential, path).body();
    }

    /** The api-version the organization speaks (asked of it when nothing has been called yet). */
    String apiVersion() {
      return exchange.negotiatedVersion(organization, credential);
    }

    /**
     * Whether the organization lacks {@code api}; if so, {@code kind} of {@code id} is listed as
     * not backed up, saying so, and nothing is called.
     */
    boolean lacks(Api api, MetadataSink sink, MetadataKind kind, String id) {
      Optional<String> why = api.missing(organization, apiVersion());
      why.ifPresent(reason -> sink.omit(kind.key(), id, reason));
      return why.isPresent();
    }

    Exchange.Answer answer(String path) {
      return exchange.get(organization, credential, path);
    }

    /** A GET of a preview API (see {@link Exchange#get(OrganizationUrl, Credential, String, UnaryOperator)}). */
    JsonNode get(String path, UnaryOperator<String> version) {
      return exchange.get(organization, credential, path, version).body();
    }

    /**
     * Every page's {@code value} from {@code firstPath} (which has a query string), following
     * {@code x-ms-continuationtoken} until the last page.
     */
    void pages(String firstPath, Consumer<JsonNode> each) {
      pages(firstPath, UnaryOperator.identity(), each);
    }

    /** {@link #pages(String, java.util.function.Consumer)} of a preview API. */
    void pages(String firstPath, UnaryOperator<String> version, Consumer<JsonNode> each) {
      Pages.byHeaderToken(this, organization, firstPath, version, page -> each.accept(page.path("value")));
    }

    /** Every item of a {@code $top}/{@code $skip} list; stops on an empty page (a server may cap {@code $top}). */
    List<JsonNode> skipPages(String path, int pageSize) {
      List<JsonNode> all = new ArrayList<>();
      Pages.bySkip(this, organization, path, pageSize, UnaryOperator.identity(), page -> page.forEach(all::add));
      return all;
    }

    JsonNode query(String path, JsonNode body) {
      return exchange.query(organization, credential, path, body).body();
    }

    /** Runs {@code task} for every item on the pool and waits for all; the first failure is thrown. */
    <T> void forEach(List<T> items, java.util.function.Consumer<T> task) {
      List<Future<?>> running = new ArrayList<>();
      for (T item : items) {
        running.add(pool.submit(() -> task.accept(item)));
      }
      RuntimeException failure = null;
      for (Future<?> future : running) {
        try {
          future.get();
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AzureDevOpsException(organization, "Interrupted while waiting for calls to " + organization, e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** The comments API is a preview API: its resource version for each api-version. */
  private static final java.util.Map<String, String> COMMENTS_VERSION = java.util.Map.of(
      "7.1", "7.1-preview.4", "7.0", "7.0-preview.3", "6.0", "6.0-preview.3", "5.0", "5.0-preview.2");

  static String commentsVersion(String apiVersion) {
    return COMMENTS_VERSION.getOrDefault(apiVersion, apiVersion + "-preview");
  }

  /**
   * Whether {@code apiVersion} has the Comments API (wit/5.1 Comments_Add, and Comments_Get
   * Comments paged by continuation token). Before it (Server 2019, 5.0) comments are the work
   * item's {@code System.History} revisions: wit/5.0 "Get Comments" lists them from a revision on,
   * and a comment is added by writing {@code System.History}.
   */
  static boolean hasCommentsApi(String apiVersion) {
    return !apiVersion.equals("5.0");
  }

  static byte[] document(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  static JsonNode json(byte[] document) {
    try {
      return JSON.readTree(document);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a stored metadata document is not JSON", e);
    }
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package dev.bunker.ado.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The calls exporters and restorers make to one organization with one credential: reads, pages
 * followed to the end, and (with a pool) many calls at once.
 */
public record Calls(Exchange exchange, OrganizationUrl organization, Credential credential, ExecutorService pool) {
  /** Work items read per call (wit/7.1 Work Items_Get Work Items Batch takes at most 200 ids). */
  public static final int WORK_ITEMS_BATCH = 200;

  /** Calls that read one thing at a time, as a restore does: without a pool, so not for {@link #forEach}. */
  public static Calls sequential(Exchange exchange, OrganizationUrl organization, Credential credential) {
    return new Calls(exchange, organization, credential, null);
  }

  public JsonNode get(String path) {
    return exchange.get(organization, credential, path).body();
  }

  /** The api-version the organization speaks (asked of it when nothing has been called yet). */
  public String apiVersion() {
    return exchange.negotiatedVersion(organization, credential);
  }

  public Exchange.Answer answer(String path) {
    return exchange.get(organization, credential, path);
  }

  /** A GET of a preview API (see {@link Exchange#get(OrganizationUrl, Credential, String, UnaryOperator)}). */
  public JsonNode get(String path, UnaryOperator<String> version) {
    return exchange.get(organization, credential, path, version).body();
  }

  /**
   * Every page's {@code value} from {@code firstPath} (which has a query string), following
   * {@code x-ms-continuationtoken} until the last page.
   */
  public void pages(String firstPath, Consumer<JsonNode> each) {
    pages(firstPath, UnaryOperator.identity(), each);
  }

  /** {@link #pages(String, java.util.function.Consumer)} of a preview API. */
  public void pages(String firstPath, UnaryOperator<String> version, Consumer<JsonNode> each) {
    Pages.byHeaderToken(this, organization, firstPath, version, page -> each.accept(page.path("value")));
  }

  /** Every item of a {@code $top}/{@code $skip} list; stops on an empty page (a server may cap {@code $top}). */
  public List<JsonNode> skipPages(String path, int pageSize) {
    List<JsonNode> all = new ArrayList<>();
    Pages.bySkip(this, organization, path, pageSize, UnaryOperator.identity(), page -> page.forEach(all::add));
    return all;
  }

  public JsonNode query(String path, JsonNode body) {
    return exchange.query(organization, credential, path, body).body();
  }

  /**
   * The work items {@code ids} of a project ({@code base} is its {@code …/_apis/wit/}) that exist,
   * read {@value #WORK_ITEMS_BATCH} a call with what {@code shape} adds to each request ({@code
   * $expand} or {@code fields}); one deleted meanwhile is left out, not an error ({@code
   * errorPolicy: omit}).
   */
  public List<JsonNode> workItems(String base, List<Integer> ids, Consumer<ObjectNode> shape) {
    List<JsonNode> items = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += WORK_ITEMS_BATCH) {
      ObjectNode request = AdoJson.JSON.createObjectNode();
      ArrayNode batch = request.putArray("ids");
      ids.subList(from, Math.min(ids.size(), from + WORK_ITEMS_BATCH)).forEach(batch::add);
      shape.accept(request);
      request.put("errorPolicy", "omit");
      query(base + "workitemsbatch", request).path("value").forEach(item -> {
        if (!item.isNull()) {
          items.add(item);
        }
      });
    }
    return items;
  }

  /** Runs {@code task} for every item on the pool and waits for all; the first failure is thrown. */
  public <T> void forEach(List<T> items, java.util.function.Consumer<T> task) {
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

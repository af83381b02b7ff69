package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * TFVC's REST resources: changesets ({@code $top}/{@code $skip}, newest first unless {@code
 * $orderby=id asc}, comments cut to {@code maxCommentLength}, 80 by default in lists), one
 * changeset (with up to {@code maxChangeCount} of its changes, at most 100), its changes (paged), and an item at a version: its metadata to a JSON {@code Accept},
 * its bytes otherwise, as Azure DevOps does; branches (roots, with their children when asked) and
 * labels with the items they name (paged).
 */
final class TfvcApi {

  private static final Pattern CHANGESET = Pattern.compile("tfvc/changesets/(\\d+)(/changes)?");
  private static final Pattern LABEL_ITEMS = Pattern.compile("tfvc/labels/(\\d+)/items");
  static final int LIST_COMMENT_LENGTH = 80;
  /** The most changes one changeset answer carries ({@code maxChangeCount}). */
  static final int MAX_CHANGE_COUNT = 100;

  boolean handle(Organization organization, Project project, String resource, ApiVersion version,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!request.getMethod().equals("GET") || !resource.startsWith("tfvc/")) {
      return false;
    }
    String at = version.toString();
    Matcher m;
    if (project != null && resource.equals("tfvc/changesets")) {
      list(organization, project.tfvc(), request, response, at);
      return true;
    }
    if ((m = CHANGESET.matcher(resource)).matches()) {
      int id = Integer.parseInt(m.group(1));
      Stream<Project> scope = project == null ? organization.projects().stream() : Stream.of(project);
      Optional<Project> owner = scope.filter(p -> p.tfvc().changeset(id).isPresent()).findFirst();
      if (owner.isEmpty()) {
        RestApi.error(response, 404, "TF14019: The changeset " + id + " does not exist.",
            "ChangesetNotFoundException");
        return true;
      }
      Tfvc tfvc = owner.get().tfvc();
      Tfvc.Changeset changeset = tfvc.changeset(id).orElseThrow();
      if (m.group(2) == null) {
        Integer max = MetadataApi.number(request, response, "maxCommentLength", Integer.MAX_VALUE);
        Integer changes = max == null ? null : MetadataApi.number(request, response, "maxChangeCount", 0);
        if (changes != null) {
          ObjectNode full = tfvc.reference(changeset, max);
          full.putArray("workItems");
          int inline = Math.min(Math.min(changes, MAX_CHANGE_COUNT), changeset.changes().size());
          if (inline > 0) {
            changeset.changes().subList(0, inline).forEach(c -> full.withArray("changes").add(tfvc.change(id, c)));
          }
          full.put("hasMoreChanges", inline < changeset.changes().size());
          RestApi.write(response, 200, full, at);
        }
      } else {
        Integer top = MetadataApi.number(request, response, "$top", 100);
        Integer skip = top == null ? null : MetadataApi.number(request, response, "$skip", 0);
        if (skip != null) {
          List<JsonNode> changes = changeset.changes().stream().skip(skip)
              .limit(Math.min(top, organization.pageSize())).<JsonNode>map(c -> tfvc.change(id, c)).toList();
          RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(changes)), at);
        }
      }
      return true;
    }
    if (project != null && resource.equals("tfvc/branches")) {
      boolean children = Boolean.parseBoolean(request.getParameter("includeChildren"));
      Tfvc tfvc = project.tfvc();
      RestApi.write(response, 200, MetadataApi.list(tfvc.branches().stream().filter(b -> b.parent() == null)
          .<JsonNode>map(b -> tfvc.branch(b, children)).toList()), at);
      return true;
    }
    if (project != null && resource.equals("tfvc/labels")) {
      Integer top = MetadataApi.number(request, response, "$top", 100);
      Integer skip = top == null ? null : MetadataApi.number(request, response, "$skip", 0);
      if (skip != null) {
        Tfvc tfvc = project.tfvc();
        RestApi.write(response, 200, MetadataApi.list(tfvc.labels().stream().skip(skip)
            .limit(Math.min(top, organization.pageSize())).<JsonNode>map(tfvc::label).toList()), at);
      }
      return true;
    }
    if ((m = LABEL_ITEMS.matcher(resource)).matches()) {
      int id = Integer.parseInt(m.group(1));
      Optional<Project> owner =
          organization.projects().stream().filter(p -> p.tfvc().label(id).isPresent()).findFirst();
      Integer top = MetadataApi.number(request, response, "$top", 100);
      Integer skip = top == null ? null : MetadataApi.number(request, response, "$skip", 0);
      if (owner.isEmpty()) {
        RestApi.error(response, 404, "TF14062: The label " + id + " does not exist.", "LabelNotFoundException");
      } else if (skip != null) {
        Tfvc tfvc = owner.get().tfvc();
        List<JsonNode> items = tfvc.label(id).orElseThrow().items().entrySet().stream().skip(skip)
            .limit(Math.min(top, organization.pageSize()))
            .<JsonNode>map(item -> tfvc.change(item.getValue(), tfvc.latest(item.getKey(), item.getValue())
                .orElseThrow()).path("item"))
            .toList();
        RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(items)), at);
      }
      return true;
    }
    if (project != null && resource.equals("tfvc/items")) {
      item(project.tfvc(), request, response, at);
      return true;
    }
    return false;
  }

  private static void list(Organization organization, Tfvc tfvc, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    Integer top = MetadataApi.number(request, response, "$top", 100);
    Integer skip = top == null ? null : MetadataApi.number(request, response, "$skip", 0);
    Integer max = skip == null ? null : MetadataApi.number(request, response, "maxCommentLength", LIST_COMMENT_LENGTH);
    if (max == null) {
      return;
    }
    String itemPath = request.getParameter("searchCriteria.itemPath");
    boolean ascending = "id asc".equalsIgnoreCase(request.getParameter("$orderby"));
    Comparator<Tfvc.Changeset> order = Comparator.comparingInt(Tfvc.Changeset::id);
    List<JsonNode> page = tfvc.changesets().stream()
        .filter(c -> itemPath == null || c.changes().stream().anyMatch(change -> change.path().toLowerCase(Locale.ROOT)
            .startsWith(itemPath.toLowerCase(Locale.ROOT))))
        .sorted(ascending ? order : order.reversed())
        .skip(skip).limit(Math.min(top, organization.pageSize()))
        .<JsonNode>map(c -> tfvc.reference(c, max)).toList();
    RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(page)), version);
  }

  private static void item(Tfvc tfvc, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    String path = request.getParameter("path");
    if (path == null) {
      RestApi.error(response, 400, "The path parameter is required (listing folders is not served by the sandbox).",
          "ArgumentNullException");
      return;
    }
    String versionType = Optional.ofNullable(request.getParameter("versionDescriptor.versionType")).orElse("latest");
    int at;
    try {
      at = versionType.equalsIgnoreCase("changeset")
          ? Integer.parseInt(request.getParameter("versionDescriptor.version")) : Integer.MAX_VALUE;
    } catch (NumberFormatException e) {
      RestApi.error(response, 400, "The version is not a changeset number.", "InvalidArgumentValueException");
      return;
    }
    Optional<Tfvc.Change> change = tfvc.latest(path, at);
    if (change.isEmpty()) {
      RestApi.error(response, 404, "TF10169: The item " + path + " at version " + at + " does not exist.",
          "ItemNotFoundException");
      return;
    }
    String accept = Optional.ofNullable(request.getHeader("Accept")).orElse("").toLowerCase(Locale.ROOT);
    if (accept.startsWith("application/json")) {
      RestApi.write(response, 200, tfvc.change(tfvc.versionOf(path, at), change.get()).path("item"), version);
      return;
    }
    response.setStatus(200);
    response.setContentType("application/octet-stream");
    response.getOutputStream().write(change.get().content());
  }
}

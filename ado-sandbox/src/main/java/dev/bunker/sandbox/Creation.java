package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a restore writes: work items from JSON Patch documents (fields and relations, as
 * {@code application/json-patch+json}), attachments (uploaded bytes), comments and build
 * definitions. Refuses what Azure DevOps refuses: read-only fields, links to unknown work items
 * or attachments, a definition name already taken.
 */
final class Creation {

  private static final Set<String> READ_ONLY = Set.of("system.id", "system.rev", "system.reviseddate",
      "system.watermark", "system.teamproject", "system.commentcount", "system.attachedfilecount",
      "system.relatedlinkcount", "system.externallinkcount", "system.hyperlinkcount");
  private static final Pattern WORK_ITEM_URL =
      Pattern.compile(".*/_apis/wit/workItems/(\\d+)$", Pattern.CASE_INSENSITIVE);
  /**
   * Largest simple upload: "On accounts with higher attachment upload limits (>130MB), you will
   * need to use chunked upload" (wit/7.1/workItemTracking.json Attachments_Create), in decimal megabytes.
   */
  static final long SIMPLE_UPLOAD_LIMIT = 130_000_000L;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
  private static final Pattern ATTACHMENT_URL = Pattern.compile(".*/_apis/wit/attachments/([0-9a-fA-F-]{36})$");

  void createWorkItem(Project project, String type, HttpServletRequest request, HttpServletResponse response,
      String version) throws IOException {
    JsonNode patch = patch(request, response);
    if (patch == null || !valid(project, patch, response)) {
      return;
    }
    ObjectNode fields = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    patch.forEach(op -> {
      if (op.path("path").asText().startsWith("/fields/")) {
        fields.set(op.path("path").asText().substring("/fields/".length()), op.path("value"));
      }
    });
    for (var field : List.copyOf(fields.properties())) {
      if (Identities.FIELDS.contains(field.getKey().toLowerCase(Locale.ROOT))) {
        Optional<ObjectNode> person = project.organization().member(field.getValue().asText(), false);
        if (person.isEmpty()) {
          RestApi.error(response, 400, "The identity value '" + field.getValue().asText() + "' for field '"
              + field.getKey() + "' is an unknown identity.", "WorkItemFieldInvalidException");
          return;
        }
        fields.set(field.getKey(), person.get());
      }
    }
    if (fields.path("System.Title").asText("").isBlank()) {
      RestApi.error(response, 400, "TF401320: Rule Error for field Title. Error code: Required, HasValues, "
          + "LimitedToValues, AllowsOldValue, InvalidEmpty.", "RuleValidationException");
      return;
    }
    WorkItem item = project.workItems().create(type, fields.path("System.Title").asText());
    item.change("Sandbox User", next -> fields.properties().forEach(f -> next.set(f.getKey(), f.getValue())),
        false);
    relations(project, item, patch);
    RestApi.write(response, 200, item.current("relations"), version);
  }

  void updateWorkItem(Project project, int id, AdoSandbox.Identity identity, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    Optional<WorkItem> found = project.workItems().find(id);
    if (found.isEmpty()) {
      RestApi.error(response, 404, "TF401232: Work item " + id + " does not exist, or you do not have "
          + "permissions to read it.", "WorkItemUnauthorizedAccessException");
      return;
    }
    JsonNode patch = patch(request, response);
    if (patch == null || !valid(project, patch, response)) {
      return;
    }
    WorkItem item = project.workItems().get(id);
    item.change(identity.displayName(), next -> patch.forEach(op -> {
      if (op.path("path").asText().startsWith("/fields/")) {
        next.set(op.path("path").asText().substring("/fields/".length()), op.path("value"));
      }
    }), true);
    relations(project, item, patch);
    RestApi.write(response, 200, item.current("relations"), version);
  }

  /**
   * Attachments_Create (wit/7.1/workItemTracking.json): a simple upload takes the file as its body,
   * up to {@link #SIMPLE_UPLOAD_LIMIT}; {@code uploadType=Chunked} starts a chunked upload (its
   * chunks follow, see {@link #uploadChunk}). Both answer 201 with the attachment's id and url
   * (httpExamples/attachments/POST__wit_attachments_fileName-_binaryFile_.json and
   * POST_wit_attachments_filename_chunked_register.json).
   */
  void uploadAttachment(Project project, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    String fileName = Optional.ofNullable(request.getParameter("fileName")).orElse("attachment");
    Path file = project.workItems().newAttachmentFile();
    if ("chunked".equalsIgnoreCase(request.getParameter("uploadType"))) {
      request.getInputStream().transferTo(OutputStream.nullOutputStream());
    } else {
      long size;
      try (InputStream body = request.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
        size = body.transferTo(out);
      }
      if (size > SIMPLE_UPLOAD_LIMIT) {
        Files.delete(file);
        // the message of TF237082 as Azure DevOps gives it (quoted in solidify/jira-azuredevops-migrator#705);
        // the status and typeKey of its REST answer are not documented
        RestApi.error(response, 400, "TF237082: The file you are trying to upload exceeds the supported file "
            + "upload size (" + SIMPLE_UPLOAD_LIMIT / 1_000_000 + ".000 MB(s)). Instead of uploading the file, add "
            + "the file to version control or to the team project web site, and then link the file to the work "
            + "item.", "VssServiceException");
        return;
      }
    }
    UUID id = project.workItems().storeAttachment(fileName, file);
    RestApi.write(response, 201, attachmentReference(project, id, fileName), version);
  }

  /**
   * Attachments_Upload Chunk (wit/7.1/workItemTracking.json): a PUT of bytes {@code a-b} of a
   * {@code total}-byte file, named by the required {@code Content-Range: bytes a-b/total} header, to
   * an attachment a chunked upload started; answers 201 like the start
   * (httpExamples/attachments/PUT_wit_attachments_filename_chunked_content1.json).
   */
  void uploadChunk(Project project, UUID id, HttpServletRequest request, HttpServletResponse response,
      String version) throws IOException {
    Optional<WorkItems.Attachment> attachment = project.workItems().attachment(id);
    if (attachment.isEmpty() || attachment.get().file() == null) {
      RestApi.error(response, 404, "TF401003: The attachment " + id + " was not found.", "AttachmentNotFoundException");
      return;
    }
    Matcher range = CONTENT_RANGE.matcher(Optional.ofNullable(request.getHeader("Content-Range")).orElse(""));
    long first = range.matches() ? Long.parseLong(range.group(1)) : -1;
    long last = range.matches() ? Long.parseLong(range.group(2)) : -1;
    if (!range.matches() || last < first || last >= Long.parseLong(range.group(3))) {
      RestApi.error(response, 400, "The Content-Range header must give the chunk's byte range, e.g. "
          + "\"bytes 0-39999/50000\".", "InvalidArgumentValueException");
      return;
    }
    long written = 0;
    try (InputStream body = request.getInputStream();
        FileChannel out = FileChannel.open(attachment.get().file(), StandardOpenOption.WRITE)) {
      out.position(first);
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = body.read(buffer)) > 0; written += n) {
        out.write(ByteBuffer.wrap(buffer, 0, n));
      }
    }
    if (written != last - first + 1) {
      RestApi.error(response, 400, "The chunk has " + written + " bytes; its Content-Range names "
          + (last - first + 1) + ".", "InvalidArgumentValueException");
      return;
    }
    RestApi.write(response, 201, attachmentReference(project, id, attachment.get().fileName()), version);
  }

  private static ObjectNode attachmentReference(Project project, UUID id, String fileName) {
    ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    body.put("id", id.toString());
    body.put("url",
        project.organization().url() + "/_apis/wit/attachments/" + id + "?fileName=" + Paths.segment(fileName));
    return body;
  }

  void addComment(Project project, int id, AdoSandbox.Identity identity, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    if (project.workItems().find(id).isEmpty()) {
      RestApi.error(response, 404, "TF401232: Work item " + id + " does not exist.",
          "WorkItemUnauthorizedAccessException");
      return;
    }
    JsonNode body = MetadataApi.body(request, response);
    if (body == null) {
      return;
    }
    WorkItem item = project.workItems().get(id);
    item.comment(identity.displayName(), body.path("text").asText());
    List<WorkItem.Comment> comments = item.comments();
    RestApi.write(response, 200, item.comment(comments.get(comments.size() - 1)), version);
  }

  void createBuildDefinition(Project project, HttpServletRequest request, HttpServletResponse response,
      String version) throws IOException {
    JsonNode body = MetadataApi.body(request, response);
    if (body == null) {
      return;
    }
    String name = body.path("name").asText("");
    if (name.isBlank()) {
      RestApi.error(response, 400, "Value cannot be null.\r\nParameter name: definition.Name", "ArgumentNullException");
      return;
    }
    if (project.buildDefinitions().stream().anyMatch(d -> d.name().equalsIgnoreCase(name))) {
      RestApi.error(response, 409, "The build definition name " + name + " already exists in project "
          + project.name() + ".", "DefinitionExistsException");
      return;
    }
    String problem = buildDefinitionProblem(project, body);
    if (problem != null) {
      RestApi.error(response, 400, problem, "DefinitionInvalidException");
      return;
    }
    BuildDefinition created = project.buildDefinition(name);
    if (body.path("queue").has("id")) {
      created.queue(project.pipelines().findQueue(body.path("queue").path("id").asInt()).orElseThrow());
    }
    body.path("variableGroups").forEach(group -> created.variableGroup(group.path("id").asInt()));
    for (JsonNode phase : body.path("process").path("phases")) {
      for (JsonNode step : phase.path("steps")) {
        created.step(step.path("displayName").asText(), step.path("task").path("id").asText(),
            step.path("task").path("definitionType").asText("task"));
      }
    }
    if (body.has("path")) {
      created.path(body.path("path").asText());
    }
    String yaml = body.path("process").path("yamlFilename").asText(null);
    if (yaml != null) {
      created.yamlFilename(yaml);
    }
    body.path("variables").properties().forEach(v -> {
      if (v.getValue().path("isSecret").asBoolean(false)) {
        created.secretVariable(v.getKey(), v.getValue().path("value").asText(null));
      } else {
        created.variable(v.getKey(), v.getValue().path("value").asText(""));
      }
    });
    RestApi.write(response, 200, created.full(), version);
  }

  /** What in a build definition names a queue, variable group or task group the project lacks; null when nothing does. */
  private static String buildDefinitionProblem(Project project, JsonNode body) {
    List<Integer> queues = new java.util.ArrayList<>();
    if (body.path("queue").has("id")) {
      queues.add(body.path("queue").path("id").asInt());
    }
    for (JsonNode phase : body.path("process").path("phases")) {
      if (phase.path("target").path("queue").has("id")) {
        queues.add(phase.path("target").path("queue").path("id").asInt());
      }
      for (JsonNode step : phase.path("steps")) {
        if (!PipelineCreation.known(project, step.path("task"), "id")) {
          return "The pipeline is not valid. Task group " + step.path("task").path("id").asText() + " was not found.";
        }
      }
    }
    for (int queue : queues) {
      if (project.pipelines().findQueue(queue).isEmpty()) {
        return "The pipeline is not valid. Could not find agent queue with identifier " + queue + ".";
      }
    }
    for (JsonNode group : body.path("variableGroups")) {
      if (project.variableGroups().stream().noneMatch(g -> g.id() == group.path("id").asInt())) {
        return "The pipeline is not valid. Variable group " + group.path("id").asInt() + " was not found.";
      }
    }
    return null;
  }

  private static long size(WorkItems.Attachment attachment) {
    try {
      return attachment.size();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the size of attachment " + attachment.fileName(), e);
    }
  }

  private static JsonNode patch(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String type = Optional.ofNullable(request.getContentType()).orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json-patch+json")) {
      RestApi.error(response, 415, "The request indicated a Content-Type of \"" + type + "\" for method type \""
          + request.getMethod() + "\" which is not supported. Valid content types for this method are: "
          + "application/json-patch+json.", "VssRequestContentTypeNotSupportedException");
      return null;
    }
    JsonNode patch;
    try {
      patch = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.getInputStream());
    } catch (IOException e) {
      patch = null;
    }
    if (patch == null || !patch.isArray()) {
      RestApi.error(response, 400, "You must pass a valid patch document in the body of the request.",
          "VssPropertyValidationException");
      return null;
    }
    return patch;
  }

  private static boolean valid(Project project, JsonNode patch, HttpServletResponse response) throws IOException {
    for (JsonNode op : patch) {
      String path = op.path("path").asText();
      if (path.startsWith("/fields/") && READ_ONLY.contains(path.substring(8).toLowerCase(Locale.ROOT))) {
        RestApi.error(response, 400, "TF401326: Invalid field status 'ReadOnly' for field '" + path.substring(8)
            + "'.", "WorkItemFieldInvalidException");
        return false;
      }
      if (path.equals("/relations/-")) {
        String url = op.path("value").path("url").asText();
        Matcher workItem = WORK_ITEM_URL.matcher(url);
        Matcher attachment = ATTACHMENT_URL.matcher(url.replaceFirst("\\?.*$", ""));
        boolean known = workItem.matches() ? project.workItems().find(Integer.parseInt(workItem.group(1))).isPresent()
            : attachment.matches() && project.organization().projects().stream()
                .anyMatch(p -> p.workItems().attachment(UUID.fromString(attachment.group(1))).isPresent());
        if (!known) {
          RestApi.error(response, 400, "TF401027: The relation target " + url + " does not exist.",
              "WorkItemLinkInvalidException");
          return false;
        }
      }
    }
    return true;
  }

  private static void relations(Project project, WorkItem item, JsonNode patch) {
    for (JsonNode op : patch) {
      if (!op.path("path").asText().equals("/relations/-")) {
        continue;
      }
      JsonNode value = op.path("value");
      String url = value.path("url").asText().replaceFirst("\\?.*$", "");
      Matcher workItem = WORK_ITEM_URL.matcher(url);
      if (workItem.matches()) {
        item.addLink(value.path("rel").asText(), Integer.parseInt(workItem.group(1)));
      } else {
        Matcher attachment = ATTACHMENT_URL.matcher(url);
        attachment.matches();
        UUID id = UUID.fromString(attachment.group(1));
        WorkItems.Attachment file = project.organization().projects().stream()
            .map(p -> p.workItems().attachment(id)).flatMap(Optional::stream).findFirst().orElseThrow();
        item.addAttachmentRelation(id, value.path("attributes").path("name").asText(file.fileName()),
            size(file), project.workItems().now());
      }
    }
    item.countRelations();
  }
}

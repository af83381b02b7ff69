package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Permissions, in Azure DevOps' shapes and api-versions: security namespaces and access control
 * lists ({@code 7.1}, not preview), Graph service principals ({@code 7.1-preview.1}, from 7.1 and
 * in the cloud only, paged by {@code x-ms-continuationtoken}, on the identity host in the cloud) and
 * a feed's permissions and retention policy (released at 7.0, {@code -preview.1} before; on the feeds host). State: {@link OrganizationSecurity}.
 */
final class SecurityApi {

  private static final Pattern ACLS = Pattern.compile("accesscontrollists/([^/]+)");
  private static final Pattern FEED_PART = Pattern.compile("packaging/feeds/([^/]+)/(permissions|retentionpolicies)");

  /** Answers the request when it is one of these resources; false leaves it to the caller. */
  boolean handle(Organization organization, Project project, String resource, ApiVersion version,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!request.getMethod().equals("GET")) {
      return false;
    }
    OrganizationSecurity security = organization.settings().security();
    String at = version.toString();
    Matcher m;
    if (project == null && resource.equals("securitynamespaces")) {
      RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(security.namespaces())), at);
      return true;
    }
    if (project == null && (m = ACLS.matcher(resource)).matches()) {
      OrganizationSecurity.Namespace namespace = security.namespaceWithId(m.group(1));
      if (namespace == null) {
        RestApi.error(response, 404, "TF400884: The security namespace " + m.group(1) + " does not exist.",
            "InvalidSecurityNamespaceException");
      } else if (!security.readable(namespace)) {
        RestApi.error(response, 403, "TF50309: The following account does not have sufficient permissions to "
            + "complete the operation: read the access control lists of " + namespace.name() + ".",
            "AccessCheckException");
      } else {
        RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(security.acls(namespace))), at);
      }
      return true;
    }
    if (project == null && resource.equals("graph/serviceprincipals")) {
      if (!OrganizationApi.cloudOnly(organization, request, response)) {
        return true;
      }
      if (MetadataApi.before(version, "7.1")) {
        // graph/7.1/graph.json is the first with Service Principals_List
        MetadataApi.notServed(request, response);
      } else if (OrganizationApi.preview(version, response)) {
        Integer start = MetadataApi.number(request, response, "continuationToken", 0);
        if (start != null) {
          MetadataApi.page(response, security.servicePrincipals(), start, organization.pageSize(), at);
        }
      }
      return true;
    }
    if ((m = FEED_PART.matcher(resource)).matches()) {
      Optional<OrganizationSettings.Feed> feed = organization.settings().feedIn(project, m.group(1));
      if (feed.isEmpty()) {
        RestApi.error(response, 404, "VS800033: The feed with ID '" + m.group(1) + "' doesn't exist in this scope.",
            "FeedIdNotFoundException");
      } else if (OrganizationApi.feedsPreview(version, response)) {
        JsonNode body = m.group(2).equals("permissions")
            ? MetadataApi.list(new ArrayList<>(security.feedPermissions(feed.get())))
            : security.retention(feed.get());
        RestApi.write(response, 200, body, at);
      }
      return true;
    }
    return false;
  }
}

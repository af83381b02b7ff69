package dev.bunker.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.core.model.AuditEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who may call the admin API (docs/design.md §13.3). In Azure, App Service authentication (Microsoft
 * Entra ID) signs callers in, people by browser session and automation by an access token for the
 * app registration, and passes the caller's claims on in {@value #PRINCIPAL_HEADER}; Bunker admits
 * a caller holding its admin app role ({@link Setting#ADMIN_ROLE}) or belonging to one of its admin
 * groups ({@link Setting#ADMIN_GROUP_IDS}). Locally the check is off unless {@link
 * Setting#ADMIN_ACCESS} turns it on; in Azure it cannot be turned off.
 */
public final class AdminAccess {
  /** The claims of the caller App Service authentication signed in, base64-encoded JSON. */
  public static final String PRINCIPAL_HEADER = "X-MS-CLIENT-PRINCIPAL";
  /** The signed-in principal's name (a user's UPN, an application's id), as App Service authentication writes it. */
  public static final String PRINCIPAL_NAME_HEADER = "X-MS-CLIENT-PRINCIPAL-NAME";
  /** The signed-in principal's Entra ID object id, as App Service authentication writes it. */
  public static final String PRINCIPAL_ID_HEADER = "X-MS-CLIENT-PRINCIPAL-ID";
  public static final String DEFAULT_ROLE = "Bunker.Admin";
  static final String ENFORCED = "enforced";
  static final String OPEN = "open";

  /** App settings App Service sets in every Azure-hosted app. */
  private static final List<String> AZURE_MARKERS = List.of("WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME");
  /** Read-only setting the platform injects when App Service authentication is on ({@code True}). */
  static final String AUTH_ENABLED_MARKER = "WEBSITE_AUTH_ENABLED";
  /** Entra ID writes app roles as {@code roles}; the role claim type may also be the long WS-Fed name. */
  private static final Set<String> ROLE_CLAIMS =
      Set.of("roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role");
  private static final Set<String> GROUP_CLAIMS =
      Set.of("groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups");
  /** Far above a real principal (a few KB, and Entra ID caps the groups claim at 200); refuses floods unread. */
  private static final int MAX_PRINCIPAL_CHARS = 64 * 1024;
  /** UPNs are at most 113 characters; names beyond this are cut in the audit trail. */
  private static final int MAX_ACTOR_CHARS = 256;
  private static final Pattern OBJECT_ID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._:-]{1,120}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why a caller is refused: 401 (not signed in) or 403 (signed in, not an admin). */
  public record Refusal(int status, String reason) {}

  private final boolean open;
  private final boolean appServiceAuthentication;
  private final String role;
  private final Set<String> groupIds;

  private AdminAccess(boolean open, boolean appServiceAuthentication, String role, Set<String> groupIds) {
    this.open = open;
    this.appServiceAuthentication = appServiceAuthentication;
    this.role = role;
    this.groupIds = groupIds;
  }

  /** Every caller is an admin: local development only. */
  public static AdminAccess open() {
    return new AdminAccess(true, false, DEFAULT_ROLE, Set.of());
  }

  /**
   * Admits callers holding {@code role} or in one of {@code groupIds} (object ids), as App Service
   * authentication reports them; {@code appServiceAuthentication} says whether it is on.
   */
  public static AdminAccess enforced(boolean appServiceAuthentication, String role, Set<String> groupIds) {
    return new AdminAccess(false, appServiceAuthentication, role,
        groupIds.stream().map(id -> id.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
  }

  /** Whether App Service runs this process (its environment has the markers App Service sets). */
  static boolean runsInAzure(Map<String, String> environment) {
    return AZURE_MARKERS.stream().anyMatch(marker -> !environment.getOrDefault(marker, "").isBlank());
  }

  /**
   * The policy the settings ask for: {@link Setting#ADMIN_ACCESS} {@value #OPEN} or {@value
   * #ENFORCED}, by default enforced in Azure and open elsewhere; open is refused in Azure.
   *
   * @throws IllegalStateException when a setting is invalid
   */
  public static AdminAccess fromEnvironment(Map<String, String> environment) {
    boolean inAzure = runsInAzure(environment);
    String mode = Setting.ADMIN_ACCESS.from(environment).map(value -> value.strip().toLowerCase(Locale.ROOT))
        .orElse(inAzure ? ENFORCED : OPEN);
    String role = Setting.ADMIN_ROLE.from(environment).map(String::strip).orElse(DEFAULT_ROLE);
    if (!ROLE.matcher(role).matches()) {
      throw new IllegalStateException(Setting.ADMIN_ROLE.key() + " must be an app role value such as " + DEFAULT_ROLE);
    }
    Set<String> groupIds = groupIds(Setting.ADMIN_GROUP_IDS.from(environment).orElse(""));
    return switch (mode) {
      case OPEN -> {
        if (inAzure) {
          throw new IllegalStateException(Setting.ADMIN_ACCESS.key() + "=" + OPEN
              + " is refused when running in Azure: the admin API would be open to anyone");
        }
        yield open();
      }
      case ENFORCED -> enforced(
          "true".equalsIgnoreCase(environment.getOrDefault(AUTH_ENABLED_MARKER, "").strip()), role, groupIds);
      default -> throw new IllegalStateException(Setting.ADMIN_ACCESS.key() + " must be " + ENFORCED + " or " + OPEN);
    };
  }

  /**
   * Whether the caller whose {@value #PRINCIPAL_HEADER} is {@code principal} (null when absent) may
   * use the admin API: empty when it may, otherwise why not.
   */
  public Optional<Refusal> check(String principal) {
    if (open) {
      return Optional.empty();
    }
    // App Service authentication removes a client-sent X-MS-CLIENT-PRINCIPAL and writes its own,
    // but only while it is on: without it, anyone could send the header with any roles.
    if (!appServiceAuthentication) {
      return refuse(401, "the admin API needs App Service authentication (Microsoft Entra ID), which is not enabled for"
          + " this app; deploy with adminAuthentication=required");
    }
    if (principal == null || principal.isBlank()) {
      return refuse(401, "sign in with Microsoft Entra ID, or send an Entra ID access token for this app"
          + " (Authorization: Bearer) that carries the app role " + role);
    }
    Optional<JsonNode> claims = claims(principal);
    if (claims.isEmpty()) {
      return refuse(401, "the signed-in principal could not be read; sign in again");
    }
    String roleClaim = claims.get().path("role_typ").asText("");
    for (JsonNode claim : claims.get().path("claims")) {
      String type = claim.path("typ").asText("");
      String value = claim.path("val").asText("");
      if ((ROLE_CLAIMS.contains(type) || type.equals(roleClaim)) && value.equals(role)) {
        return Optional.empty();
      }
      if (GROUP_CLAIMS.contains(type) && groupIds.contains(value.toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
    }
    return refuse(403, "the signed-in principal lacks the app role " + role
        + (groupIds.isEmpty() ? "" : " and is in none of Bunker's admin groups") + "; ask an admin to assign it");
  }

  /**
   * Who the caller is, for the audit trail: the principal App Service authentication signed in
   * ({@value #PRINCIPAL_NAME_HEADER}, {@value #PRINCIPAL_ID_HEADER}; null when absent). Without
   * App Service authentication the headers are the client's word and are ignored, except locally
   * (open access), where anyone is an admin anyway: there a caller without them is {@code local}.
   */
  public AuditEntry.Actor actor(String name, String objectId) {
    boolean signedIn = !blank(name) || !blank(objectId);
    if (!signedIn || !(open || appServiceAuthentication)) {
      return open ? AuditEntry.Actor.LOCAL : AuditEntry.Actor.ANONYMOUS;
    }
    String id = blank(objectId) ? null : printable(objectId);
    return new AuditEntry.Actor(blank(name) ? id : printable(name), id);
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  /** At most {@value #MAX_ACTOR_CHARS} characters without control characters: a name, not a payload. */
  private static String printable(String text) {
    String clean = text.strip().replaceAll("\\p{Cntrl}", "");
    return clean.length() > MAX_ACTOR_CHARS ? clean.substring(0, MAX_ACTOR_CHARS) : clean;
  }

  private static Set<String> groupIds(String setting) {
    Set<String> ids = Arrays.stream(setting.split(",")).map(String::strip).filter(id -> !id.isEmpty())
        .collect(Collectors.toSet());
    if (!ids.stream().allMatch(id -> OBJECT_ID.matcher(id).matches())) {
      throw new IllegalStateException(Setting.ADMIN_GROUP_IDS.key()
          + " must list Entra ID group object ids (GUIDs), separated by commas");
    }
    return ids;
  }

  /** The decoded principal, or empty when it is not base64-encoded JSON with a claims list. */
  private static Optional<JsonNode> claims(String principal) {
    if (principal.length() > MAX_PRINCIPAL_CHARS) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(new String(Base64.getDecoder().decode(principal.strip()), StandardCharsets.UTF_8));
      return node != null && node.path("claims").isArray() ? Optional.of(node) : Optional.empty();
    } catch (IllegalArgumentException | IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Refusal> refuse(int status, String reason) {
    return Optional.of(new Refusal(status, reason));
  }
}

package dev.bunker.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Azure DevOps API shapes Bunker may call, each checked against the operation of the official
 * REST specification (MicrosoftDocs/vsts-rest-api-specs) or, for git and Git LFS, against their
 * protocol documents: {@code api-surface.tsv}, which {@code docs/azure-devops-api.md} shows to
 * people. The sandbox holds every request Bunker makes against it, so code that calls a route,
 * query parameter or api-version nobody checked fails its tests.
 *
 * <p>A route is relative to the organization (or collection) URL; {@code {name}} stands for one
 * path segment, {@code {name?}} for one that may be left out, {@code {*name}} for the rest of the
 * path (a query folder, a classification node path), and {@code ${name}} for a segment that starts
 * with {@code $}, as in the specification's {@code workitems/${type}}.
 */
final class ApiSurface {

  static final String RESOURCE = "api-surface.tsv";
  /** The columns of {@link #RESOURCE}, in order. */
  static final List<String> COLUMNS =
      List.of("service", "method", "route", "api-versions", "parameters", "paging", "limits", "spec");
  /** Where the cloud serves each service (Azure DevOps Server serves them all at the collection URL). */
  static final Set<String> SERVICES =
      Set.of("core", "vssps", "vsrm", "feeds", "vsaex", "extmgmt", "auditservice");
  /** How a list is read to its end. */
  static final Set<String> PAGING = Set.of("none", "header-token", "body-token", "top-skip", "from-revision",
      "id-cursor", "stream");
  /**
   * {@code area/version/file.json operationId} of the specification (operation ids may hold
   * spaces), git's and Git LFS' own protocol documents, or, for a call no specification covers,
   * {@code undocumented:} and the public client that makes it.
   */
  static final Pattern SPEC = Pattern.compile(
      "[A-Za-z]+/\\d+\\.\\d+/[A-Za-z]+\\.json [A-Za-z][A-Za-z0-9_ ]*[A-Za-z0-9]"
          + "|git-lfs docs/api/(batch|basic-transfers)\\.md"
          + "|git Documentation/gitprotocol-http\\.txt"
          + "|undocumented: \\S.*");

  /** Written for "none" in a list column. */
  private static final String NONE = "-";

  /** One operation: what may be sent, and where the specification says so. */
  record Operation(String service, String method, String route, List<String> apiVersions,
      List<String> parameters, String paging, String limits, String spec) {

    /** This operation as one line of {@link #RESOURCE}. */
    String line() {
      return String.join("\t", service, method, route, list(apiVersions), list(parameters), paging, limits, spec);
    }

    private boolean routeMatches(List<String> path) {
      return matches(List.of(route.split("/")), 0, path, 0);
    }

    private static boolean matches(List<String> template, int t, List<String> path, int p) {
      if (t == template.size()) {
        return p == path.size();
      }
      String segment = template.get(t);
      if (segment.startsWith("{*")) {
        return true;
      }
      if (segment.endsWith("?}") && matches(template, t + 1, path, p)) {
        return true;
      }
      if (p == path.size() || path.get(p).isEmpty()) {
        return false;
      }
      int variable = segment.indexOf('{');
      boolean here = variable < 0 ? segment.equalsIgnoreCase(path.get(p))
          : path.get(p).length() > variable && path.get(p).startsWith(segment.substring(0, variable));
      return here && matches(template, t + 1, path, p + 1);
    }
  }

  private final List<Operation> operations;

  private ApiSurface(List<Operation> operations) {
    this.operations = List.copyOf(operations);
  }

  /** The table shipped with the sandbox. */
  static ApiSurface load() {
    try (InputStream in = ApiSurface.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the sandbox");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Reads the table: a header line naming {@link #COLUMNS}, then one operation a line. */
  static ApiSurface parse(List<String> lines) {
    if (lines.isEmpty() || !List.of(lines.get(0).split("\t")).equals(COLUMNS)) {
      throw new IllegalArgumentException(RESOURCE + " must start with the header " + String.join(" ", COLUMNS));
    }
    List<Operation> operations = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      if (lines.get(n).isBlank()) {
        continue;
      }
      String[] cells = lines.get(n).split("\t", -1);
      if (cells.length != COLUMNS.size()) {
        throw new IllegalArgumentException(RESOURCE + " line " + (n + 1) + " has " + cells.length
            + " columns, not " + COLUMNS.size());
      }
      operations.add(new Operation(cells[0], cells[1], cells[2], cells(cells[3]), cells(cells[4]), cells[5],
          cells[6], cells[7]));
    }
    return new ApiSurface(operations);
  }

  List<Operation> operations() {
    return operations;
  }

  /**
   * Why a request is not in the table, or empty when an operation allows it.
   *
   * @param service the cloud host the request was addressed to ({@link #SERVICES}), or null for the
   *     sandbox's loopback address, where every service is served at the organization URL
   * @param route the raw path relative to the organization, without a leading slash
   * @param query the raw query string, or null
   */
  Optional<String> violation(String service, String method, String route, String query) {
    List<String> path = List.of(route.split("/", -1));
    List<String> names = new ArrayList<>();
    String version = null;
    for (String pair : query == null || query.isEmpty() ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (name.equalsIgnoreCase("api-version")) {
        version = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } else {
        names.add(name);
      }
    }
    List<Operation> sameRoute = operations.stream()
        .filter(o -> o.method().equals(method) && (service == null || o.service().equals(service)))
        .filter(o -> o.routeMatches(path))
        .toList();
    String sent = version;
    for (Operation operation : sameRoute) {
      boolean versionAllowed =
          sent == null ? operation.apiVersions().isEmpty() : operation.apiVersions().contains(sent);
      if (versionAllowed && names.stream().allMatch(n -> contains(operation.parameters(), n))) {
        return Optional.empty();
      }
    }
    String shape = method + " " + shape(path) + " parameters " + (names.isEmpty() ? NONE
        : String.join(",", new TreeSet<>(names))) + " api-version " + (sent == null ? NONE : sent);
    if (sameRoute.isEmpty()) {
      return Optional.of(shape + ": no operation in " + RESOURCE + " has this route"
          + (service == null ? "" : " on " + service));
    }
    StringBuilder why = new StringBuilder(shape).append(": ");
    for (Operation operation : sameRoute) {
      Set<String> unknown = new LinkedHashSet<>();
      names.stream().filter(n -> !contains(operation.parameters(), n)).forEach(unknown::add);
      why.append(operation.route()).append(" (").append(operation.spec()).append(") takes ");
      if (!unknown.isEmpty()) {
        why.append("no ").append(String.join(",", unknown)).append(" ");
      }
      why.append("[parameters ").append(list(operation.parameters())).append("; api-versions ")
          .append(list(operation.apiVersions())).append("] ");
    }
    return Optional.of(why.toString().trim());
  }

  /** Query parameter names are not case-sensitive to the service (ASP.NET binds them either way). */
  private static boolean contains(List<String> allowed, String name) {
    return allowed.stream().anyMatch(a -> a.equalsIgnoreCase(name));
  }

  /** The path with ids and numbers replaced, so a violation names the shape, not the data. */
  private static String shape(List<String> path) {
    return String.join("/", path.stream().map(s -> s.matches("\\d+") ? "{n}"
        : s.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") ? "{id}" : s).toList());
  }

  private static List<String> cells(String cell) {
    return cell.equals(NONE) ? List.of() : Arrays.stream(cell.split(",")).map(String::trim).toList();
  }

  private static String list(List<String> values) {
    return values.isEmpty() ? NONE : String.join(",", values);
  }
}

package dev.bunker.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import dev.bunker.app.AdminAccess;
import dev.bunker.app.App;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.CorruptDataException;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.model.ValidationException;
import dev.bunker.json.DamagedJsonException;
import dev.bunker.json.InvalidJsonException;
import dev.bunker.json.Json;
import dev.bunker.metadata.DamagedMetadataException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Runs an HTTP handler and answers in JSON; the one place that maps failures to problem+json
 * responses. {@link #handle} admits only admins ({@link AdminAccess}); callers that are not,
 * state-changing requests from another site ({@link CrossSite}), bodies larger than
 * {@link #MAX_BODY_CHARS} and bodies that are not {@code application/json} are refused before the
 * handler runs.
 */
public final class Http {
  /** No request of the API needs more; a policy with 100 patterns per list fits easily. */
  public static final int MAX_BODY_CHARS = 64 * 1024;
  private static final Logger LOG = Logger.getLogger(Http.class.getName());
  private static final String JSON = "application/json";
  private static final String PROBLEM_JSON = "application/problem+json";
  /** IPv4 or IPv6 characters, at most an IPv6 address with an IPv4 tail. */
  private static final Pattern IP = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  /** Turns a request body (null when there is none) into a reply. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(String body);
  }

  private Http() {}

  /**
   * Runs an admin API handler that changes nothing (a read): every function of the API goes through
   * here or {@link #change}, so the admin check cannot be forgotten. The functions are anonymous at
   * the Functions level (a function key would shut out the console, which signs in through App
   * Service authentication). A state-changing method (POST, PUT, PATCH, DELETE) must go through
   * {@link #change}: here it is a programming error, answered 500.
   */
  public static HttpResponseMessage handle(HttpRequestMessage<Optional<String>> request, Handler handler) {
    return handle(request, null, handler, Reply::problem);
  }

  /**
   * Runs an admin API handler that changes something, and records the call in the audit trail as
   * {@code action}: exactly one entry, also when it is refused (not an admin, cross-site, bad input).
   */
  public static HttpResponseMessage change(HttpRequestMessage<Optional<String>> request, AuditAction action,
      Handler handler) {
    return handle(request, action, handler, Reply::problem);
  }

  /**
   * Like {@link #handle} or {@link #change} (with {@code action}, which may be null for a read), for
   * an address a browser window opens rather than the console's fetch (the OAuth sign-in): a refusal
   * or failure is answered with {@code failurePage(problem)}, never as JSON.
   */
  public static HttpResponseMessage handle(HttpRequestMessage<Optional<String>> request, AuditAction action,
      Handler handler, Function<Problem, Reply> failurePage) {
    return respond(request, action, true, failurePage, () -> {
      CrossSite.refusal(request).ifPresent(reason -> {
        throw new CrossSiteException(reason);
      });
      App.adminAccess().check(header(request.getHeaders(), AdminAccess.PRINCIPAL_HEADER)).ifPresent(refusal -> {
        throw new RefusedException(refusal);
      });
      if (action == null && CrossSite.changesState(request)) {
        throw new IllegalStateException(request.getHttpMethod() + " " + request.getUri().getPath()
            + " changes state but names no audit action: its function must call Http.change");
      }
      return handler.handle(body(request));
    });
  }

  /** Who the caller is, as the audit trail names them (for a handler that passes it on, e.g. to a sign-in). */
  public static AuditEntry.Actor actor(HttpRequestMessage<?> request) {
    Map<String, String> headers = request.getHeaders();
    return App.adminAccess().actor(header(headers, AdminAccess.PRINCIPAL_NAME_HEADER),
        header(headers, AdminAccess.PRINCIPAL_ID_HEADER));
  }

  /** Whether the caller is one of Bunker's admins, as {@link #handle} decides it. */
  public static boolean isAdmin(HttpRequestMessage<?> request) {
    return App.adminAccess().check(header(request.getHeaders(), AdminAccess.PRINCIPAL_HEADER)).isEmpty();
  }

  /**
   * Runs a handler anyone may call (the OAuth callback, protected by its signed state); a failure is
   * answered with {@code failurePage(problem)}. Its audit entry never takes the actor from the
   * request's principal headers (nothing vouches for them here): the handler's reply names the
   * actor ({@link Reply#auditing}), otherwise it is {@code anonymous}.
   */
  public static HttpResponseMessage handleAnonymous(HttpRequestMessage<Optional<String>> request, AuditAction action,
      Handler handler, Function<Problem, Reply> failurePage) {
    return respond(request, action, false, failurePage, () -> {
      CrossSite.refusal(request).ifPresent(reason -> {
        throw new CrossSiteException(reason);
      });
      return handler.handle(body(request));
    });
  }

  private static HttpResponseMessage respond(HttpRequestMessage<Optional<String>> request, AuditAction action,
      boolean signedIn, Function<Problem, Reply> failurePage, Supplier<Reply> handler) {
    Reply reply;
    String problemType = null;
    try {
      reply = handler.get();
    } catch (RuntimeException e) {
      reply = problem(e);
      if (reply.body() instanceof Problem problem) {
        problemType = problem.type();
        Reply page = failurePage.apply(problem);
        Map<String, String> headers = new HashMap<>(reply.headers());
        headers.putAll(page.headers());
        reply = new Reply(page.status(), page.body(), headers);
      }
    }
    if (action != null) {
      audit(request, action, signedIn, reply, problemType);
    }
    HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatusType.custom(reply.status()));
    reply.headers().forEach(response::header);
    if (reply.body() instanceof Reply.Html html) {
      response.body(html.text());
    } else if (reply.body() != null) {
      response.header("Content-Type", reply.body() instanceof Problem ? PROBLEM_JSON : JSON);
      response.body(Json.write(reply.body()));
    }
    return response.build();
  }

  /**
   * Appends the call's entry to the audit trail. A trail that does not take it is logged, not
   * answered: the call has happened (or was refused) either way, and the caller must learn how.
   */
  private static void audit(HttpRequestMessage<Optional<String>> request, AuditAction called, boolean signedIn,
      Reply reply, String problemType) {
    AuditAction action = reply.auditAction() == null ? called : reply.auditAction();
    try {
      Map<String, String> headers = request.getHeaders();
      AuditEntry.Actor actor = reply.auditActor() != null ? reply.auditActor()
          : signedIn ? actor(request) : AuditEntry.Actor.ANONYMOUS;
      String body = request.getBody() == null ? null : request.getBody().orElse(null);
      Map<String, String> targets = new HashMap<>(AuditTargets.of(request.getUri().getPath(),
          reply.headers().get("Location"), body, request.getQueryParameters().get("organizationUrl")));
      targets.putAll(reply.auditTargets());
      String problem = problemType == null ? null : problemType.substring(problemType.lastIndexOf(':') + 1);
      App.bunker().audit().record(actor, clientIp(header(headers, "x-forwarded-for")), action, targets,
          reply.status(), problem);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "the audit trail did not take the entry of " + action + " answered " + reply.status(), e);
    }
  }

  /**
   * The caller's address: the last entry of {@code X-Forwarded-For}, the one App Service's front end
   * appended ({@code ip:port}, IPv6 as {@code [ip]:port}), without the port; earlier entries are
   * the client's own claim. Null when absent or not an address.
   */
  static String clientIp(String forwardedFor) {
    if (forwardedFor == null || forwardedFor.isBlank()) {
      return null;
    }
    String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).strip();
    String address;
    if (last.startsWith("[")) {
      address = last.indexOf(']') > 0 ? last.substring(1, last.indexOf(']')) : "";
    } else if (last.indexOf(':') == last.lastIndexOf(':') && last.indexOf(':') > 0) {
      address = last.substring(0, last.indexOf(':'));
    } else {
      address = last;
    }
    return IP.matcher(address).matches() ? address : null;
  }

  /** An integer query parameter between {@code min} and {@code max}, or {@code fallback} when absent. */
  public static int intQuery(HttpRequestMessage<?> request, String name, int fallback, int min, int max) {
    String text = request.getQueryParameters().get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw ValidationException.of(name, "must be a whole number between " + min + " and " + max);
  }

  /**
   * The body, when it is JSON. A body must say {@code Content-Type: application/json} (a form or
   * {@code text/plain}, which any web page may send without asking, never reaches a handler); a
   * state-changing request without a body may leave the type out but not name another one.
   */
  private static String body(HttpRequestMessage<Optional<String>> request) {
    String body = request.getBody() == null ? null : request.getBody().orElse(null);
    String contentType = header(request.getHeaders(), "content-type");
    if (body == null || body.isEmpty()) {
      if (contentType != null && CrossSite.changesState(request) && !isJson(contentType)) {
        throw new UnsupportedTypeException(contentType);
      }
      return null;
    }
    if (body.length() > MAX_BODY_CHARS) {
      throw new TooLargeException();
    }
    if (contentType == null || !isJson(contentType)) {
      throw new UnsupportedTypeException(contentType);
    }
    return body;
  }

  /**
   * The request body as a {@code type}. JSON that is not one is the caller's mistake, a 400 naming
   * the field; only here, since other JSON that fails to decode is not the caller's.
   */
  static <T> T readBody(String body, Class<T> type) {
    try {
      return Json.read(body, type);
    } catch (InvalidJsonException e) {
      throw ValidationException.of(e.field(), e.problem());
    }
  }

  /** {@code application/json}, with at most a {@code charset=utf-8} parameter (RFC 8259 section 8.1: JSON is UTF-8). */
  static boolean isJson(String contentType) {
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().equalsIgnoreCase(JSON) || parts.length > 2) {
      return false;
    }
    if (parts.length == 1) {
      return true;
    }
    String parameter = parts[1].strip();
    int equals = parameter.indexOf('=');
    if (equals < 0) {
      return false;
    }
    String value = parameter.substring(equals + 1).strip();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return parameter.substring(0, equals).strip().equalsIgnoreCase("charset") && value.equalsIgnoreCase("utf-8");
  }

  /** A request header by name, ignoring case (the worker does not promise one case); null when absent. */
  static String header(Map<String, String> headers, String name) {
    return headers.entrySet().stream()
        .filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static Reply problem(RuntimeException e) {
    Problem problem;
    if (e instanceof RefusedException refused) {
      AdminAccess.Refusal refusal = refused.refusal;
      if (refusal.status() == 401) {
        return new Reply(401, Problem.of(401, "unauthenticated", "Sign-in required", refusal.reason()),
            Map.of("WWW-Authenticate", "Bearer"));
      }
      problem = Problem.of(refusal.status(), "not-an-admin", "Only Bunker's admins may do this", refusal.reason());
    } else if (e instanceof ValidationException invalid) {
      problem = new Problem("urn:bunker:problem:invalid-request", "The request is not valid", 400,
          invalid.getMessage(), invalid.errors());
    } else if (e instanceof NotFoundException) {
      problem = Problem.of(404, "not-found", "Not found", e.getMessage());
    } else if (e instanceof ConflictException) {
      problem = Problem.of(409, "conflict", "Conflict with the current state", e.getMessage());
    } else if (e instanceof SourceException source) {
      problem = sourceProblem(source);
    } else if (e instanceof CorruptDataException || e instanceof DamagedJsonException
        || e instanceof DamagedMetadataException) {
      LOG.log(Level.SEVERE, "stored data is damaged", e);
      problem = Problem.of(500, "corrupt-data", "Stored data is damaged", e.getMessage());
    } else if (e instanceof UnavailableException) {
      problem = Problem.of(503, "unavailable", "A part Bunker needs is not available", e.getMessage());
    } else if (e instanceof TooLargeException) {
      problem = Problem.of(413, "body-too-large", "The request body is too large",
          "request bodies are limited to " + MAX_BODY_CHARS + " characters");
    } else if (e instanceof UnsupportedTypeException) {
      problem = Problem.of(415, "unsupported-media-type", "The request body must be JSON", e.getMessage());
    } else if (e instanceof CrossSiteException) {
      problem = Problem.of(403, "cross-site-request", "Requests from other sites may not change anything",
          e.getMessage());
    } else {
      // an unexpected failure's message may say more than a caller should see: log it, answer with an id
      String incident = UUID.randomUUID().toString();
      LOG.log(Level.SEVERE, "unexpected failure, incident " + incident, e);
      problem = Problem.of(500, "internal-error", "Internal error", "incident " + incident + " is logged");
    }
    return new Reply(problem.status(), problem, Map.of());
  }

  private static Problem sourceProblem(SourceException e) {
    return switch (e.reason()) {
      case URL_NOT_ALLOWED -> Problem.of(400, "url-not-allowed", "The organization URL is not allowed", e.getMessage());
      case NOT_FOUND -> Problem.of(400, "not-found-at-source", "Azure DevOps does not know it", e.getMessage());
      case CREDENTIAL_NOT_ACCEPTED -> Problem.of(401, "credential-not-accepted",
          "Azure DevOps did not accept the credential", e.getMessage());
      case ACCESS_DENIED -> Problem.of(403, "access-denied", "The credential lacks a permission", e.getMessage());
      case CONFLICT -> Problem.of(409, "conflict-at-source", "Conflict in Azure DevOps", e.getMessage());
      case UNAVAILABLE -> Problem.of(502, "source-unavailable", "Azure DevOps is not answering", e.getMessage());
    };
  }

  private static final class RefusedException extends RuntimeException {
    private final transient AdminAccess.Refusal refusal;

    RefusedException(AdminAccess.Refusal refusal) {
      super(refusal.reason());
      this.refusal = refusal;
    }
  }

  private static final class TooLargeException extends RuntimeException {
    TooLargeException() {
      super("request body too large");
    }
  }

  private static final class UnsupportedTypeException extends RuntimeException {
    UnsupportedTypeException(String contentType) {
      super((contentType == null ? "the request has a body but no Content-Type" : "Content-Type is " + contentType)
          + "; send Content-Type: application/json (a charset, if given, must be utf-8)");
    }
  }

  private static final class CrossSiteException extends RuntimeException {
    CrossSiteException(String reason) {
      super(reason);
    }
  }
}

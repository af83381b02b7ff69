package dev.bunker.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small router: HTTP method and resource pattern to handler, one line a route. The first route
 * whose method and pattern match answers; {@code *} takes any method (the handler answers 405 to
 * the ones the resource does not have, as Azure DevOps does).
 */
final class Routes<C> {
  /** Answers a request; {@code path} holds the pattern's groups. */
  interface Handler<C> {
    void answer(C call, Matcher path) throws IOException;
  }

  private record Route<C>(String method, Pattern pattern, Handler<C> handler) {}

  private final List<Route<C>> routes = new ArrayList<>();

  Routes<C> on(String method, String pattern, Handler<C> handler) {
    routes.add(new Route<>(method, Pattern.compile(pattern), handler));
    return this;
  }

  /** Answers with the first matching route; false when none matches, leaving the request to the caller. */
  boolean answer(C call, String method, String resource) throws IOException {
    for (Route<C> route : routes) {
      Matcher path = route.pattern().matcher(resource);
      if ((route.method().equals("*") || route.method().equals(method)) && path.matches()) {
        route.handler().answer(call, path);
        return true;
      }
    }
    return false;
  }

  /** Whether some route has this resource, whatever the method. */
  boolean has(String resource) {
    return routes.stream().anyMatch(route -> route.pattern().matcher(resource).matches());
  }
}

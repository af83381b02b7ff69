package dev.bunker.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * CGit's {@code git-http-backend} as a CGI program: one smart-HTTP git request in, its answer out.
 * Shared by the test git servers (the store's {@code GitHttpServer}, the sandbox's CGit mode), which
 * differ only in the HTTP server in front.
 */
public final class GitHttpBackend {
  private static final Path BACKEND = Path.of(execPath(), "git-http-backend");
  /** Request headers the backend reads, and the CGI variables they become. */
  private static final Map<String, String> HEADERS = Map.of("Content-Type", "CONTENT_TYPE",
      "Content-Length", "CONTENT_LENGTH", "Content-Encoding", "HTTP_CONTENT_ENCODING",
      "Git-Protocol", "HTTP_GIT_PROTOCOL");

  private GitHttpBackend() {}

  /**
   * One request: {@code pathInfo} names a repository under the project root, e.g. {@code
   * /repo.git/info/refs}; {@code header} gives a request header's value by name (any case), or null.
   */
  public record Request(String method, String pathInfo, String query, Function<String, String> header,
      String remoteUser, InputStream body) {}

  /** Where the answer goes: headers first, then the status once, then the body. */
  public interface Response {
    void header(String name, String value);

    OutputStream start(int status) throws IOException;
  }

  /**
   * Serves {@code request} from the bare repositories under {@code projectRoot}. A remote user
   * (authenticated by the server in front) lets the backend accept pushes too.
   */
  public static void serve(Path projectRoot, Request request, Response response) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(BACKEND.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.put("GIT_PROJECT_ROOT", projectRoot.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("GATEWAY_INTERFACE", "CGI/1.1");
    env.put("REQUEST_METHOD", request.method());
    env.put("PATH_INFO", request.pathInfo());
    env.put("QUERY_STRING", request.query() == null ? "" : request.query());
    env.put("REMOTE_ADDR", "127.0.0.1");
    if (request.remoteUser() != null) {
      env.put("REMOTE_USER", request.remoteUser());
    }
    HEADERS.forEach((header, variable) -> {
      String value = request.header().apply(header);
      if (value != null) {
        env.put(variable, value);
      }
    });
    Process process = builder.start();
    Thread feeder = new Thread(() -> {
      try (OutputStream stdin = process.getOutputStream(); InputStream body = request.body()) {
        body.transferTo(stdin);
      } catch (IOException ignored) {
        // the backend stopped reading; its answer says why
      }
    }, "git-http-backend-request");
    feeder.setDaemon(true);
    feeder.start();
    try (InputStream out = new BufferedInputStream(process.getInputStream(), 1 << 16)) {
      int status = 200;
      String line;
      while (!(line = readLine(out)).isEmpty()) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          response.header(name, value);
        }
      }
      try (OutputStream body = response.start(status)) {
        out.transferTo(body);
        process.waitFor(10, TimeUnit.SECONDS);
        destroy(process);
        // The feeder must be done with the request body before the answer ends: on a kept-alive
        // connection a late read takes the next request's body (a clone's ls-refs or fetch).
        feeder.join(TimeUnit.SECONDS.toMillis(30));
        if (feeder.isAlive()) {
          throw new IOException("the request body of " + request.pathInfo() + " was not read within 30 s");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted serving " + request.pathInfo(), e);
    } finally {
      destroy(process);
    }
  }

  /** Ends the backend and what it started: upload-pack may hold the request's pipe. */
  private static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static String execPath() {
    try {
      Process git = new ProcessBuilder("git", "--exec-path").redirectErrorStream(true).start();
      String path = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (git.waitFor() != 0) {
        throw new IllegalStateException("git --exec-path failed: " + path);
      }
      return path;
    } catch (IOException e) {
      throw new IllegalStateException("git is not installed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

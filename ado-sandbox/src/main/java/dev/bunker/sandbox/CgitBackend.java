package dev.bunker.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves a hosted repository's smart-HTTP git through CGit's {@code git-http-backend} (a minimal
 * CGI bridge) instead of JGit's GitServlet. The protocol is the same; the speed is that of a
 * production git server, which benchmarks compare against (Azure DevOps' own server is not JGit).
 * Authentication, faults and the request log stay in {@link SandboxFilter} in front of it.
 */
final class CgitBackend {
  private static final Path BACKEND = Path.of(execPath(), "git-http-backend");

  private CgitBackend() {}

  /** Answers {@code request}, whose path after the repository's route is {@code suffix} (e.g. {@code /info/refs}). */
  static void serve(HostedRepository repository, String suffix, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    Path directory = repository.directory().toAbsolutePath();
    ProcessBuilder builder = new ProcessBuilder(BACKEND.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.put("GIT_PROJECT_ROOT", directory.getParent().toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("GATEWAY_INTERFACE", "CGI/1.1");
    env.put("REQUEST_METHOD", request.getMethod());
    env.put("PATH_INFO", "/" + directory.getFileName() + suffix);
    env.put("QUERY_STRING", request.getQueryString() == null ? "" : request.getQueryString());
    env.put("REMOTE_ADDR", "127.0.0.1");
    env.put("REMOTE_USER", "sandbox");
    putHeader(request, "Content-Type", "CONTENT_TYPE", env);
    putHeader(request, "Content-Length", "CONTENT_LENGTH", env);
    putHeader(request, "Content-Encoding", "HTTP_CONTENT_ENCODING", env);
    putHeader(request, "Git-Protocol", "HTTP_GIT_PROTOCOL", env);
    Process process = builder.start();
    Thread feeder = new Thread(() -> {
      try (OutputStream stdin = process.getOutputStream(); InputStream body = request.getInputStream()) {
        body.transferTo(stdin);
      } catch (IOException ignored) {
        // the backend stopped reading; its answer says why
      }
    }, "cgit-request-body");
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
          response.addHeader(name, value);
        }
      }
      response.setStatus(status);
      out.transferTo(response.getOutputStream());
      feeder.join();
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted serving " + suffix, e);
    } finally {
      process.destroy();
    }
  }

  private static void putHeader(HttpServletRequest request, String header, String variable, Map<String, String> env) {
    String value = request.getHeader(header);
    if (value != null) {
      env.put(variable, value);
    }
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

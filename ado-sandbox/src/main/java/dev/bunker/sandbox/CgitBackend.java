package dev.bunker.sandbox;

import dev.bunker.testing.GitHttpBackend;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Serves a hosted repository's smart-HTTP git through CGit's {@code git-http-backend} instead of
 * JGit's GitServlet. The protocol is the same; the speed is that of a production git server, which
 * benchmarks compare against (Azure DevOps' own server is not JGit). Authentication, faults and the
 * request log stay in {@link SandboxFilter} in front of it.
 */
final class CgitBackend {
  private CgitBackend() {}

  /** Answers {@code request}, whose path after the repository's route is {@code suffix} (e.g. {@code /info/refs}). */
  static void serve(HostedRepository repository, String suffix, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    Path directory = repository.directory().toAbsolutePath();
    GitHttpBackend.serve(directory.getParent(), new GitHttpBackend.Request(request.getMethod(),
        "/" + directory.getFileName() + suffix, request.getQueryString(), request::getHeader, "sandbox",
        request.getInputStream()), new GitHttpBackend.Response() {
          @Override
          public void header(String name, String value) {
            response.addHeader(name, value);
          }

          @Override
          public OutputStream start(int status) throws IOException {
            response.setStatus(status);
            return response.getOutputStream();
          }
        });
  }
}

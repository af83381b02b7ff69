package dev.bunker.sandbox;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What Azure DevOps' git server does differently from CGit's and JGit's, which serve the sandbox's
 * repositories behind this:
 *
 * <ul>
 *   <li>It speaks the original smart-HTTP protocol only, not protocol v2: a client asking for v2
 *       ({@code Git-Protocol: version=2}) gets the v0 ref advertisement, refs and capabilities in the
 *       one {@code info/refs} answer, and no {@code ls-refs} (grafana/nanogit,
 *       docs/architecture/protocol-v2.md: "Azure DevOps / Azure Repos, which only speaks protocol
 *       v1"). So the header is not passed on.
 *   <li>It answers HTTP 400 {@code TF401041} to an {@code upload-pack} request whose first
 *       {@code want} line carries a capability list without {@code multi_ack} or
 *       {@code multi_ack_detailed}; a {@code want} with no capability list at all is served
 *       (measured against dev.azure.com on 2026-07-30, ConfigButler/gitops-reverser,
 *       docs/facts/azure-devops-multi-ack-requirement.md; the rule since 2020 by Azure Repos'
 *       product manager in fluxcd/source-controller#104). Pushes have no such rule.
 * </ul>
 */
final class GitProtocol {
  static final String MULTI_ACK_REFUSED =
      "TF401041: The Git protocol sent is not as expected (Clients must support multi-ack.).";
  private static final String PROTOCOL_HEADER = "Git-Protocol";

  private GitProtocol() {}

  /** The request as Azure DevOps reads it: without a protocol version to switch to. */
  static HttpServletRequest versionZero(HttpServletRequest request) {
    return new HttpServletRequestWrapper(request) {
      @Override
      public String getHeader(String name) {
        return PROTOCOL_HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return PROTOCOL_HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
      }

      @Override
      public Enumeration<String> getHeaderNames() {
        List<String> names = Collections.list(super.getHeaderNames());
        names.removeIf(PROTOCOL_HEADER::equalsIgnoreCase);
        return Collections.enumeration(names);
      }
    };
  }

  /** Whether {@code path} is an upload-pack request, the one that carries wants and capabilities. */
  static boolean isUploadPack(HttpServletRequest request, String path) {
    return "POST".equals(request.getMethod()) && path.endsWith("/git-upload-pack");
  }

  /**
   * Reads an upload-pack request's body: the refusal Azure DevOps answers it with, or empty and a
   * request that reads the same body again.
   */
  static Optional<String> refusal(HttpServletRequest request, byte[] body) throws IOException {
    byte[] plain = body;
    String encoding = request.getHeader("Content-Encoding");
    if ("gzip".equalsIgnoreCase(encoding) || "x-gzip".equalsIgnoreCase(encoding)) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        plain = in.readAllBytes();
      } catch (IOException undecodable) {
        return Optional.empty(); // the git server behind answers it as it answers such a body
      }
    }
    String first = firstLine(plain);
    if (first == null || !first.startsWith("want ")) {
      return Optional.empty();
    }
    String[] words = first.strip().split(" ");
    if (words.length <= 2) {
      return Optional.empty(); // no capability list: served
    }
    for (int i = 2; i < words.length; i++) {
      if (words[i].equals("multi_ack") || words[i].equals("multi_ack_detailed")) {
        return Optional.empty();
      }
    }
    return Optional.of(MULTI_ACK_REFUSED);
  }

  /** The request with its body, already read, to be read again. */
  static HttpServletRequest withBody(HttpServletRequest request, byte[] body) {
    return new HttpServletRequestWrapper(request) {
      private final ByteArrayInputStream in = new ByteArrayInputStream(body);
      private final ServletInputStream stream = new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the sandbox reads git requests blocking");
        }
      };

      @Override
      public ServletInputStream getInputStream() {
        return stream;
      }
    };
  }

  /** The first pkt-line's payload, or null when the body does not start with one. */
  private static String firstLine(byte[] body) {
    if (body.length < 4) {
      return null;
    }
    int length;
    try {
      length = Integer.parseInt(new String(body, 0, 4, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    if (length < 4 || length > body.length) {
      return null;
    }
    return new String(body, 4, length - 4, StandardCharsets.UTF_8);
  }
}

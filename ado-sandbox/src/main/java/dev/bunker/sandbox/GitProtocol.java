package dev.bunker.sandbox;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
 *   <li>Its upload-pack advertises {@code multi_ack thin-pack side-band side-band-64k no-progress
 *       multi_ack_detailed no-done shallow allow-tip-sha1-in-want filter symref=HEAD:…} and
 *       nothing else: no {@code ofs-delta}, so the packs it sends name every delta's base by its
 *       object id, never by its position (the list dev.azure.com advertised, recorded in
 *       screenshotbot/screenshotbot-oss, src/screenshotbot/sdk/git-pack.lisp; the list begins the
 *       same over HTTPS in GitoxideLabs/gitoxide#1025, whose packs from Azure DevOps hold ref-deltas
 *       with a base after them). Of
 *       what CGit and JGit advertise, only what is on that list is passed on.
 *   <li>Its receive-pack does not advertise {@code atomic}: an atomic push is refused by the
 *       client ("Some git servers don't support {@code git push --atomic}. Looking at you, Azure
 *       DevOps.", your-tools/tbump#161; appsmithorg/appsmith#33054).
 * </ul>
 */
final class GitProtocol {
  static final String MULTI_ACK_REFUSED =
      "TF401041: The Git protocol sent is not as expected (Clients must support multi-ack.).";
  private static final String PROTOCOL_HEADER = "Git-Protocol";
  /** An advertisement is rewritten, so it is asked for uncompressed (JGit's server gzips it otherwise). */
  private static final String ACCEPT_ENCODING = "Accept-Encoding";
  private static final Set<String> UPLOAD_PACK_CAPABILITIES = Set.of("multi_ack", "thin-pack", "side-band",
      "side-band-64k", "no-progress", "multi_ack_detailed", "no-done", "shallow", "allow-tip-sha1-in-want", "filter");
  private static final Set<String> RECEIVE_PACK_WITHOUT = Set.of("atomic");

  private GitProtocol() {}

  /**
   * The request as Azure DevOps reads it: without a protocol version to switch to; a ref
   * advertisement's also without the encodings its client accepts, so it comes uncompressed to be
   * rewritten ({@link #advertised}).
   */
  static HttpServletRequest versionZero(HttpServletRequest request, String path) {
    boolean advertisement = isAdvertisement(request, path);
    return new HttpServletRequestWrapper(request) {
      private boolean hidden(String name) {
        return PROTOCOL_HEADER.equalsIgnoreCase(name) || (advertisement && ACCEPT_ENCODING.equalsIgnoreCase(name));
      }

      @Override
      public String getHeader(String name) {
        return hidden(name) ? null : super.getHeader(name);
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
      }

      @Override
      public Enumeration<String> getHeaderNames() {
        List<String> names = Collections.list(super.getHeaderNames());
        names.removeIf(this::hidden);
        return Collections.enumeration(names);
      }
    };
  }

  /** Whether {@code path} asks for a ref advertisement ({@code GET …/info/refs}). */
  static boolean isAdvertisement(HttpServletRequest request, String path) {
    return "GET".equals(request.getMethod()) && path.endsWith("/info/refs");
  }

  /**
   * A response that keeps what the git server writes, to be passed on by {@link #sendAdvertised}
   * (an advertisement is small: a line per ref).
   */
  static final class KeptResponse extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final ServletOutputStream stream = new ServletOutputStream() {
      @Override
      public void write(int b) {
        kept.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        kept.write(b, off, len);
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        throw new UnsupportedOperationException("the sandbox writes git answers blocking");
      }
    };

    KeptResponse(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return stream;
    }

    @Override
    public void flushBuffer() {
      // nothing is sent before the advertisement is rewritten
    }

    @Override
    public java.io.PrintWriter getWriter() {
      throw new UnsupportedOperationException("the sandbox's git servers write advertisements as bytes");
    }

    @Override
    public void resetBuffer() {
      kept.reset();
    }

    @Override
    public void reset() {
      super.reset();
      kept.reset();
    }

    @Override
    public void setIntHeader(String name, int value) {
      if (!isLength(name)) {
        super.setIntHeader(name, value);
      }
    }

    @Override
    public void addIntHeader(String name, int value) {
      if (!isLength(name)) {
        super.addIntHeader(name, value);
      }
    }

    @Override
    public void setContentLength(int length) {
      // set when the rewritten body is sent
    }

    @Override
    public void setContentLengthLong(long length) {
      // set when the rewritten body is sent
    }

    @Override
    public void setHeader(String name, String value) {
      if (!isLength(name)) {
        super.setHeader(name, value);
      }
    }

    @Override
    public void addHeader(String name, String value) {
      if (!isLength(name)) {
        super.addHeader(name, value);
      }
    }

    /** The length is set when the rewritten body is sent. */
    private static boolean isLength(String header) {
      return "Content-Length".equalsIgnoreCase(header);
    }

    /** Sends what the server wrote, its advertisement as Azure DevOps makes it. */
    void sendAdvertised() throws IOException {
      byte[] body = kept.toByteArray();
      if (getStatus() == HttpServletResponse.SC_OK) {
        if (getHeader("Content-Encoding") != null) {
          throw new IllegalStateException("the git server compressed an advertisement the sandbox asked for plain");
        }
        body = advertised(body);
      }
      HttpServletResponse response = (HttpServletResponse) getResponse();
      if (response.isCommitted()) {
        return; // the server sent an error page itself
      }
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  /**
   * {@code body}, a v0 ref advertisement, with the capabilities on its first ref line cut to those
   * Azure DevOps advertises for the service it names; anything else unchanged.
   */
  static byte[] advertised(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    String service = null;
    boolean rewritten = false;
    int at = 0;
    while (at + 4 <= body.length) {
      int length;
      try {
        length = Integer.parseInt(new String(body, at, 4, StandardCharsets.US_ASCII), 16);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("the git server's advertisement is not pkt-lines", e);
      }
      if (length < 4 || at + length > body.length) {
        out.write(body, at, Math.min(4, body.length - at));
        at += 4;
        continue; // a flush (0000) or what is not a line
      }
      int nul = indexOf(body, at + 4, at + length, (byte) 0);
      if (service == null && startsWith(body, at + 4, SERVICE)) {
        service = new String(body, at + 4 + SERVICE.length, length - 4 - SERVICE.length, StandardCharsets.US_ASCII)
            .strip();
      } else if (!rewritten && nul >= 0 && service != null) {
        // the first ref line's capabilities; its id and name go on byte for byte
        rewritten = true;
        String named = service;
        String listed = new String(body, nul + 1, at + length - nul - 1, StandardCharsets.US_ASCII);
        String capabilities = Arrays.stream(listed.strip().split(" "))
            .filter(c -> !c.isEmpty() && kept(named, c)).collect(Collectors.joining(" "))
            + (listed.endsWith("\n") ? "\n" : "");
        byte[] tail = capabilities.getBytes(StandardCharsets.US_ASCII);
        int head = nul + 1 - at - 4;
        out.writeBytes(String.format("%04x", 4 + head + tail.length).getBytes(StandardCharsets.US_ASCII));
        out.write(body, at + 4, head);
        out.writeBytes(tail);
        at += length;
        continue;
      }
      out.write(body, at, length);
      at += length;
    }
    out.write(body, at, body.length - at);
    return out.toByteArray();
  }

  private static final byte[] SERVICE = "# service=".getBytes(StandardCharsets.US_ASCII);

  private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
    return bytes.length - from >= prefix.length && Arrays.equals(bytes, from, from + prefix.length, prefix, 0,
        prefix.length);
  }

  private static boolean kept(String service, String capability) {
    return switch (service) {
      case "git-upload-pack" -> UPLOAD_PACK_CAPABILITIES.contains(capability) || capability.startsWith("symref=");
      case "git-receive-pack" -> !RECEIVE_PACK_WITHOUT.contains(capability);
      default -> true;
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

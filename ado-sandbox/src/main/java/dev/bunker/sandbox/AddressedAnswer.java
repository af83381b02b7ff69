package dev.bunker.sandbox;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An answer to a request addressed to a cloud host: the URLs in it (JSON and text bodies, and
 * {@code Location}) name that host, as Azure DevOps Services' answers do, instead of the sandbox's
 * loopback address that the sandbox's data was made with. Other bodies (files, git packs) pass
 * through unbuffered. {@link #finish()} writes a rewritten body.
 */
final class AddressedAnswer extends HttpServletResponseWrapper {

  private final String loopback;
  private final String addressed;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private long contentLength = -1;
  /** Null until the first byte decides whether the body is rewritten (buffered) or passed through. */
  private Boolean rewritten;
  private ServletOutputStream stream;
  private PrintWriter writer;

  AddressedAnswer(HttpServletResponse response, String loopback, String addressed) {
    super(response);
    this.loopback = loopback;
    this.addressed = addressed;
  }

  private String rewrite(String text) {
    return text.replace(loopback, addressed);
  }

  @Override
  public void setHeader(String name, String value) {
    super.setHeader(name, "Location".equalsIgnoreCase(name) && value != null ? rewrite(value) : value);
  }

  @Override
  public void addHeader(String name, String value) {
    super.addHeader(name, "Location".equalsIgnoreCase(name) && value != null ? rewrite(value) : value);
  }

  @Override
  public void setContentLength(int length) {
    setContentLengthLong(length);
  }

  @Override
  public void setContentLengthLong(long length) {
    if (Boolean.FALSE.equals(rewritten)) {
      super.setContentLengthLong(length);
    } else {
      contentLength = length;
    }
  }

  /** Sends what is there (rewritten); the rest of the body passes through (a fault cutting an answer short). */
  @Override
  public void flushBuffer() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    if (Boolean.TRUE.equals(rewritten)) {
      if (contentLength >= 0) {
        super.setContentLengthLong(contentLength);
      }
      super.getOutputStream().write(rewrite(buffer.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
      buffer.reset();
      rewritten = false;
    }
    super.flushBuffer();
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
    }
    return writer;
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (stream == null) {
      stream = new ServletOutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          if (decide()) {
            buffer.write(bytes, offset, length);
          } else {
            AddressedAnswer.super.getOutputStream().write(bytes, offset, length);
          }
        }

        @Override
        public void flush() throws IOException {
          if (Boolean.FALSE.equals(rewritten)) {
            AddressedAnswer.super.getOutputStream().flush();
          }
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          throw new UnsupportedOperationException("the sandbox writes blocking");
        }
      };
    }
    return stream;
  }

  /** Whether the body is rewritten: JSON (the REST API, LFS batch answers) and text. */
  private boolean decide() {
    if (rewritten == null) {
      String type = getContentType() == null ? "" : getContentType().toLowerCase(Locale.ROOT);
      rewritten = type.contains("json") || type.startsWith("text/");
      if (!rewritten && contentLength >= 0) {
        super.setContentLengthLong(contentLength);
      }
    }
    return rewritten;
  }

  /** Writes the rewritten body (or the recorded length of an empty one). */
  void finish() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    if (rewritten == null) {
      if (contentLength >= 0) {
        super.setContentLengthLong(contentLength);
      }
      return;
    }
    if (rewritten) {
      byte[] body = rewrite(buffer.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      super.setContentLengthLong(body.length);
      super.getOutputStream().write(body);
    }
  }
}

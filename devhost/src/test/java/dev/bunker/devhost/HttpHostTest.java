package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP host in process, spoken to over a raw socket so that any Host header can be sent. */
class HttpHostTest {
  private final ExecutorService invocations = Executors.newSingleThreadExecutor();
  private HttpHost host;

  @BeforeEach
  void start() {
    host = new HttpHost(List.of(), "api", 0, null, invocations);
    host.start();
  }

  @AfterEach
  void stop() {
    host.stop(Duration.ZERO);
    invocations.shutdownNow();
  }

  @Test
  void refusesAHostNameOtherThanLoopbackAgainstDnsRebinding() throws IOException {
    for (String foreign : List.of("evil.example", "evil.example:" + host.port(), "localhost.evil.example",
        "127.0.0.2:" + host.port(), "localhost:80@evil.example")) {
      String answer = exchange("Host: " + foreign);
      assertThat(answer).as(foreign).startsWith("HTTP/1.1 403");
      assertThat(answer).contains("only requests addressed to localhost, 127.0.0.1 or [::1]", "Host " + foreign);
    }
    assertThat(exchange("Host: localhost\r\nHost: evil.example")).startsWith("HTTP/1.1 403");
  }

  @Test
  void servesRequestsAddressedToLoopbackWithAnyPort() throws IOException {
    for (String own : List.of("localhost:" + host.port(), "LOCALHOST", "127.0.0.1:" + host.port(),
        "[::1]:" + host.port(), "[::1]")) {
      String answer = exchange("Host: " + own);
      assertThat(answer).as(own).startsWith("HTTP/1.1 200");
      assertThat(answer).contains("{\"state\":\"Running\"}");
    }
  }

  /** {@code GET /admin/host/status} with the given header lines; the whole answer. */
  private String exchange(String headers) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), host.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /admin/host/status HTTP/1.1\r\n" + headers + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

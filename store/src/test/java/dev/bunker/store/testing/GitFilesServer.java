package dev.bunker.store.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bare repository served as plain files, git's dumb HTTP: a client fetches it object by object
 * and pack by pack, with no {@code POST}. {@code update-server-info} is run first, as such a server
 * needs.
 */
public final class GitFilesServer implements AutoCloseable {
  private final HttpServer server;

  private GitFilesServer(HttpServer server) {
    this.server = server;
  }

  public static GitFilesServer serving(Path bare) {
    Git.run(bare, "update-server-info");
    try {
      HttpServer files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      files.createContext("/", exchange -> {
        Path file = bare.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
        boolean found = file.startsWith(bare) && Files.isRegularFile(file);
        byte[] body = found ? Files.readAllBytes(file) : new byte[0];
        exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      files.start();
      return new GitFilesServer(files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

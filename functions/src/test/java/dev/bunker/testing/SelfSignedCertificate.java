package dev.bunker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A throwaway certificate for localhost / 127.0.0.1, made by the JDK's keytool for one test run. */
public final class SelfSignedCertificate {
  private static final char[] PASSWORD = "test-only".toCharArray();
  private final KeyStore keyStore;

  private SelfSignedCertificate(KeyStore keyStore) {
    this.keyStore = keyStore;
  }

  public static SelfSignedCertificate forLocalhost() {
    try {
      Path dir = Files.createTempDirectory("bunker-cert");
      Path file = dir.resolve("server.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
          "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
          "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
          "-storetype", "PKCS12", "-keystore", file.toString(),
          "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, PASSWORD);
      }
      Files.delete(file);
      Files.delete(dir);
      return new SelfSignedCertificate(store);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate certificate() {
    try {
      return (X509Certificate) keyStore.getCertificate("server");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key store holding the key and certificate (alias {@code server}), and its password. */
  public KeyStore keyStore() {
    return keyStore;
  }

  public String password() {
    return new String(PASSWORD);
  }

  /** For the server side. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For clients that trust only this certificate. */
  public TrustManagerFactory trust() {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("server", certificate());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      return factory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

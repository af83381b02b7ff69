package dev.bunker.testing;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/** The Azure SDK's default (Netty) HTTP client, trusting one test certificate and nothing else. */
public final class TrustingHttpClient {
  private TrustingHttpClient() {}

  public static HttpClient trusting(SelfSignedCertificate certificate) {
    try {
      SslContext ssl = SslContextBuilder.forClient().trustManager(certificate.trust()).build();
      return new NettyAsyncHttpClientBuilder(
          reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl))).build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }
}

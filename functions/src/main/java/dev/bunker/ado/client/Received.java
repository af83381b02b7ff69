package dev.bunker.ado.client;

import java.io.InputStream;
import java.net.http.HttpHeaders;

/** An answer as received: a streamed body only for a successful streamed call, else its bytes. */
record Received(int statusCode, HttpHeaders headers, byte[] body, InputStream stream) {
  boolean isSuccess() {
    return statusCode >= 200 && statusCode < 300;
  }
}

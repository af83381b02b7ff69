package dev.bunker.ado.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON documents Bunker sends to Azure DevOps and stores from it: one mapper, bytes both ways. */
public final class AdoJson {
  public static final ObjectMapper JSON = new ObjectMapper();

  private AdoJson() {}

  /** A JSON tree as the bytes of a stored document or request body. */
  public static byte[] document(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** A stored metadata document read back. */
  public static JsonNode json(byte[] document) {
    try {
      return JSON.readTree(document);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored metadata document is not JSON", e);
    }
  }
}

package dev.bunker.functions;

import dev.bunker.core.model.FieldError;
import java.util.List;

/** An RFC 9457 problem document, the body of every error response. */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
  static Problem of(int status, String slug, String title, String detail) {
    return new Problem("urn:bunker:problem:" + slug, title, status, detail, null);
  }
}

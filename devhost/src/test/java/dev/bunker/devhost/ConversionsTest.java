package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversionsTest {
  record Greeting(String text, int times) {
  }

  /** Carries the generic types of its parameters, as function methods declare them. */
  @SuppressWarnings("unused")
  private static void shapes(Optional<String> optionalText, Optional<Greeting> optionalGreeting) {
  }

  private static Type parameter(int index) throws NoSuchMethodException {
    return ConversionsTest.class.getDeclaredMethod("shapes", Optional.class, Optional.class)
        .getGenericParameterTypes()[index];
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bindsBodiesAsTextBytesStreamsOrPojos() throws Exception {
    assertThat(Conversions.convert(utf8("hi"), String.class, "body")).isEqualTo("hi");
    assertThat(Conversions.convert(utf8("hi"), byte[].class, "body")).isEqualTo(utf8("hi"));
    assertThat(((InputStream) Conversions.convert(utf8("hi"), InputStream.class, "body")).readAllBytes())
        .isEqualTo(utf8("hi"));
    assertThat(Conversions.convert(utf8("{text: \"a\", \"times\": 2, \"other\": 1}"), Greeting.class, "body"))
        .isEqualTo(new Greeting("a", 2));
  }

  @Test
  void emptyBodyIsAnEmptyOptional() throws Exception {
    assertThat(Conversions.convert(new byte[0], parameter(0), "body")).isEqualTo(Optional.empty());
    assertThat(Conversions.convert(utf8("{\"text\":\"a\"}"), parameter(1), "body"))
        .isEqualTo(Optional.of(new Greeting("a", 0)));
  }

  @Test
  void convertsMetadataToTheDeclaredType() throws Exception {
    assertThat(Conversions.convert("42", int.class, "route value")).isEqualTo(42);
    assertThat(Conversions.convert(3L, String.class, "DequeueCount")).isEqualTo("3");
    assertThat(Conversions.convert("2026-11-25T10:00:00Z", OffsetDateTime.class, "InsertionTime"))
        .isEqualTo(OffsetDateTime.parse("2026-11-25T10:00:00Z"));
  }

  @Test
  void saysWhatCouldNotBeBound() {
    assertThatThrownBy(() -> Conversions.convert(utf8("{\"text\": "), Greeting.class, "request body"))
        .isInstanceOf(BindingException.class).hasMessageStartingWith("request body is not valid JSON for Greeting");
    assertThatThrownBy(() -> Conversions.convert("many", int.class, "route value 'count'"))
        .isInstanceOf(BindingException.class).hasMessageContaining("cannot be converted to int");
    assertThatThrownBy(() -> Conversions.convert(null, long.class, "binding data 'DequeueCount'"))
        .isInstanceOf(BindingException.class).hasMessageContaining("is missing");
  }
}

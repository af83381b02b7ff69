package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LfsPointerTest {
  private static final String OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsAPointerWithOrWithoutExtensions() {
    assertThat(LfsPointer.parse(bytes("version https://git-lfs.github.com/spec/v1\noid sha256:" + OID
        + "\nsize 12345\n"))).contains(new LfsPointer(OID, 12345));
    assertThat(LfsPointer.parse(bytes("version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + OID
        + "\noid sha256:" + OID + "\nsize 1\n"))).contains(new LfsPointer(OID, 1));
  }

  @Test
  void ordinaryFilesAreNotPointers() {
    assertThat(LfsPointer.parse(bytes("hello\n"))).isEmpty();
    assertThat(LfsPointer.parse(bytes("version https://git-lfs.github.com/spec/v1\noid sha256:" + OID + "\n")))
        .isEmpty();
    assertThat(LfsPointer.parse(bytes("version https://git-lfs.github.com/spec/v1\noid sha256:" + OID
        + "\nsize 12\n" + "x".repeat(2000) + "\n"))).isEmpty();
  }

  @Test
  void matchesOnlyItsOwnContent() {
    byte[] content = bytes("hello world\n");
    LfsPointer pointer = new LfsPointer("a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447", 12);
    assertThat(pointer.matches(content)).isTrue();
    assertThat(pointer.matches(bytes("hello world!"))).isFalse();
  }
}

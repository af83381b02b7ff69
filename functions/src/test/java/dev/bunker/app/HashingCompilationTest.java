package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class HashingCompilationTest {
  @Test
  void underTheJavaWorkersDefaultC1OnlyNothingIsAdded() {
    assertThat(HashingCompilation.apply(() -> "1")).startsWith("C2 is off (-XX:TieredStopAtLevel=1)");
  }

  @Test
  void withC2OnTheJvmAcceptsTheDirectivesShippedWithTheApp() throws Exception {
    try {
      assertThat(HashingCompilation.apply(() -> "4"))
          .isEqualTo("C2 kept to the digests and the pack index writer: 2 compiler directives added");
    } finally {
      // the directives are process-wide: the rest of this test JVM compiles as before
      ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
          "compilerDirectivesClear", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
  }
}

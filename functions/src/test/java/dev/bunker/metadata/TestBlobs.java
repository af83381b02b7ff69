package dev.bunker.metadata;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;

/** Blobs for metadata tests: in memory, observed call by call, and what they hold. */
public final class TestBlobs {
  private TestBlobs() {}

  /** Blobs in memory, stamped with the wall clock. */
  public static InMemoryBlobs inMemory() {
    return new InMemoryBlobs(Clock.systemUTC());
  }

  /** Looks at a call before it reaches the blobs: may count it, or fail it as storage would. */
  public interface Observer {
    void before(String method, Object[] args) throws IOException;
  }

  /** {@code inner} with {@code observer} shown every call first. */
  public static Blobs around(Blobs inner, Observer observer) {
    return (Blobs) Proxy.newProxyInstance(Blobs.class.getClassLoader(), new Class<?>[] {Blobs.class},
        (proxy, method, args) -> {
          observer.before(method.getName(), args);
          try {
            return method.invoke(inner, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** How many blobs there are. */
  public static int count(Blobs blobs) {
    try {
      return blobs.list("").size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of every blob there is. */
  public static long bytes(Blobs blobs) {
    try {
      return blobs.list("").stream().mapToLong(Blobs.BlobInfo::size).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

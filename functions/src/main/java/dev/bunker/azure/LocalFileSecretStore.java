package dev.bunker.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.core.model.SecretNames;
import dev.bunker.core.model.SecretStoreException;
import dev.bunker.core.port.SecretStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Secrets in one JSON file, for local development only (no Key Vault there). The file and its
 * lock are readable by their owner alone; every change writes a new file and moves it over the
 * old one, so a crash leaves either the old or the new content. Safe across threads and, through
 * a lock file, across processes on one machine.
 */
public final class LocalFileSecretStore implements SecretStore {
  /** App settings that App Service sets in every Azure-hosted function app. */
  private static final Set<String> AZURE_MARKERS = Set.of("WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final TypeReference<TreeMap<String, String>> CONTENT = new TypeReference<>() {};
  private static final ObjectMapper JSON = new ObjectMapper();
  /** One monitor per file in this JVM: file locks exclude other processes, not other threads. */
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;
  private final boolean posix;
  private final Object monitor;

  private LocalFileSecretStore(Path file) {
    this.file = file;
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    this.monitor = MONITORS.computeIfAbsent(file, f -> new Object());
  }

  /**
   * The store in {@code file} (created on first write). Refused when {@code environment} shows the
   * process runs in Azure, where secrets belong in Key Vault.
   */
  public static LocalFileSecretStore open(Path file, Map<String, String> environment) {
    for (String marker : AZURE_MARKERS) {
      if (environment.containsKey(marker)) {
        throw new IllegalStateException("the local secrets file is for development only and is refused in Azure ("
            + marker + " is set): set KEY_VAULT_URI to the app's Key Vault");
      }
    }
    LocalFileSecretStore store = new LocalFileSecretStore(file.toAbsolutePath().normalize());
    store.prepare();
    return store;
  }

  public Path file() {
    return file;
  }

  @Override
  public void put(String name, String value) {
    SecretNames.requireValid(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("secret '" + name + "' needs a non-empty value");
    }
    update(name, secrets -> secrets.put(name, value));
  }

  @Override
  public Optional<String> get(String name) {
    SecretNames.requireValid(name);
    synchronized (monitor) {
      try {
        return Optional.ofNullable(locked(this::read).get(name));
      } catch (IOException e) {
        throw new SecretStoreException("could not read secret '" + name + "' from " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void delete(String name) {
    SecretNames.requireValid(name);
    update(name, secrets -> secrets.remove(name));
  }

  private void update(String name, Consumer<Map<String, String>> change) {
    synchronized (monitor) {
      try {
        locked(() -> {
          TreeMap<String, String> secrets = read();
          change.accept(secrets);
          write(secrets);
          return null;
        });
      } catch (IOException e) {
        throw new SecretStoreException("could not update secret '" + name + "' in " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private void prepare() {
    try {
      Path folder = file.getParent();
      if (!Files.isDirectory(folder)) {
        Files.createDirectories(folder, ownerOnly(PosixFilePermissions.fromString("rwx------")));
      }
      // A file left readable by others (copied, created by hand) is tightened before first use.
      if (posix && Files.exists(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (IOException e) {
      throw new SecretStoreException("could not prepare the local secrets file " + file + ": " + e.getMessage(), e);
    }
  }

  private interface FileAction<T> {
    T run() throws IOException;
  }

  // The lock file, not the secrets file, is locked: the secrets file is replaced on every write.
  private <T> T locked(FileAction<T> action) throws IOException {
    try (FileChannel channel = FileChannel.open(lockFile,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly(OWNER_ONLY));
        FileLock lock = channel.lock()) {
      return action.run();
    }
  }

  private TreeMap<String, String> read() throws IOException {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try {
      TreeMap<String, String> secrets = JSON.readValue(file.toFile(), CONTENT);
      return secrets == null ? new TreeMap<>() : secrets;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the content near the error: it could be a secret.
      throw new IOException("the file is not a JSON object of secret names to values (line "
          + e.getLocation().getLineNr() + ")");
    }
  }

  private void write(TreeMap<String, String> secrets) throws IOException {
    Path temporary =
        Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp", ownerOnly(OWNER_ONLY));
    try {
      Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(secrets));
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
    return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
  }
}

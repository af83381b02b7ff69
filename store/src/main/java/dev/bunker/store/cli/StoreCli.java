package dev.bunker.store.cli;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.GitTarget;
import dev.bunker.store.PushResult;
import dev.bunker.store.Snapshot;
import dev.bunker.store.SnapshotId;
import dev.bunker.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Disaster recovery from storage alone, without the function app: lists repositories and
 * snapshots, writes a snapshot as a bare repository or a bundle, pushes it to a git server.
 *
 * <p>Secrets come from environment variables only (command lines show up in process lists):
 * {@code BUNKER_STORAGE_CONNECTION_STRING}, or {@code --blob-endpoint} with
 * {@code BUNKER_STORAGE_SAS}; {@code BUNKER_PUSH_AUTHORIZATION} is sent as the
 * {@code Authorization} header of a push.
 */
public final class StoreCli {
  static final String USAGE = """
      usage: bunker-store [--blob-endpoint URL] [--container NAME] COMMAND
        repositories [PREFIX]                 keys of backed-up repositories
        snapshots KEY                         snapshots of a repository, oldest first
        refs KEY SNAPSHOT                     refs of a snapshot
        export KEY SNAPSHOT DIRECTORY         write the snapshot as a bare repository
        bundle KEY SNAPSHOT FILE              write the snapshot as a git bundle ('-': stdout)
        push KEY SNAPSHOT URL                 push the snapshot's refs to URL (an empty repository)
      storage: BUNKER_STORAGE_CONNECTION_STRING, or --blob-endpoint with BUNKER_STORAGE_SAS
      push credentials: BUNKER_PUSH_AUTHORIZATION (the Authorization header's value)
      container: --container, default 'backups'
      """;

  private StoreCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs one command; returns the process exit code (0 ok, 1 failed, 2 bad usage). */
  public static int run(String[] args, Map<String, String> env, PrintStream out,
      PrintStream err) {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String endpoint = null;
    String container = "backups";
    while (!rest.isEmpty() && rest.peek().startsWith("--")) {
      String option = rest.pop();
      if (rest.isEmpty()) {
        return usage(err, option + " needs a value");
      }
      switch (option) {
        case "--blob-endpoint" -> endpoint = rest.pop();
        case "--container" -> container = rest.pop();
        default -> {
          return usage(err, "unknown option " + option);
        }
      }
    }
    if (rest.isEmpty()) {
      return usage(err, "no command");
    }
    String command = rest.pop();
    List<String> operands = List.copyOf(rest);
    int wanted = switch (command) {
      case "repositories" -> operands.size() <= 1 ? operands.size() : -1;
      case "snapshots" -> 1;
      case "refs" -> 2;
      case "export", "bundle", "push" -> 3;
      default -> -2;
    };
    if (wanted == -2) {
      return usage(err, "unknown command " + command);
    }
    if (wanted != operands.size()) {
      return usage(err, command + ": wrong number of arguments");
    }
    BlobContainerClient client;
    try {
      client = container(env, endpoint, container);
    } catch (IllegalArgumentException e) {
      return usage(err, e.getMessage());
    }
    try (GitStore store = GitStore.onBlobs(client, Clock.systemUTC(),
        GitStore.Options.defaults())) {
      return execute(store, command, operands, env, out, err);
    } catch (StoreException | IllegalArgumentException | UncheckedIOException e) {
      err.println("bunker-store: " + e.getMessage());
      return 1;
    }
  }

  private static BlobContainerClient container(Map<String, String> env, String endpoint,
      String container) {
    String connection = env.get("BUNKER_STORAGE_CONNECTION_STRING");
    BlobContainerClientBuilder builder = new BlobContainerClientBuilder().containerName(container);
    if (endpoint != null) {
      String sas = env.get("BUNKER_STORAGE_SAS");
      if (sas == null) {
        throw new IllegalArgumentException("--blob-endpoint needs BUNKER_STORAGE_SAS");
      }
      return builder.endpoint(endpoint).sasToken(sas).buildClient();
    }
    if (connection == null) {
      throw new IllegalArgumentException("set BUNKER_STORAGE_CONNECTION_STRING, or"
          + " --blob-endpoint with BUNKER_STORAGE_SAS");
    }
    return builder.connectionString(connection).buildClient();
  }

  private static int execute(GitStore store, String command, List<String> operands,
      Map<String, String> env, PrintStream out, PrintStream err) {
    switch (command) {
      case "repositories" -> {
        store.repositories(operands.isEmpty() ? "" : operands.get(0)).forEach(out::println);
        return 0;
      }
      case "snapshots" -> {
        for (Snapshot s : store.repository(operands.get(0)).snapshots()) {
          out.printf("%s  %s  %d refs  head %s  +%d objects, %d bytes%n", s.id(), s.created(),
              s.refCount(), s.head().orElse("-"), s.objectsAdded(), s.bytesAdded());
        }
        return 0;
      }
      default -> {
        // the rest work on one snapshot
      }
    }
    BackupRepository repository = store.repository(operands.get(0));
    SnapshotId id = SnapshotId.parse(operands.get(1));
    switch (command) {
      case "refs" -> {
        Snapshot snapshot = repository.snapshot(id).orElseThrow(() -> new StoreException(
            "repository " + repository.key() + " has no snapshot " + id));
        snapshot.refs().forEach((name, object) -> out.println(object + " " + name));
        return 0;
      }
      case "export" -> {
        repository.writeBareRepository(id, Path.of(operands.get(2)));
        err.println("wrote " + operands.get(2));
        return 0;
      }
      case "bundle" -> {
        writeBundle(repository, id, operands.get(2), out);
        return 0;
      }
      default -> {
        String authorization = env.get("BUNKER_PUSH_AUTHORIZATION");
        Map<String, String> headers =
            authorization == null ? Map.of() : Map.of("Authorization", authorization);
        PushResult result = repository.push(id, GitTarget.of(URI.create(operands.get(2)),
            () -> headers));
        for (PushResult.RefPushed ref : result.refs()) {
          out.println(ref.outcome() + " " + ref.ref()
              + (ref.reason() == null ? "" : " (" + ref.reason() + ")"));
        }
        return result.succeeded() ? 0 : 1;
      }
    }
  }

  private static void writeBundle(BackupRepository repository, SnapshotId id, String file,
      PrintStream stdout) {
    if (file.equals("-")) {
      repository.writeBundle(id, stdout);
      stdout.flush();
      return;
    }
    try (OutputStream out = Files.newOutputStream(Path.of(file))) {
      repository.writeBundle(id, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("bunker-store: " + problem);
    err.print(USAGE);
    return 2;
  }
}

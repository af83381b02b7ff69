package dev.bunker.azure;

import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.Secret;
import dev.bunker.store.LfsPointer;
import dev.bunker.store.LfsReceiver;
import java.io.InputStream;
import java.util.List;

/**
 * Run in a JVM of its own with a small heap by {@link LfsStreamingTest}: moves one LFS object from
 * a sandbox repository into the backup container and from there to another repository, as a
 * backup and a restore do. Exits 0 when both went through.
 *
 * <p>Arguments: sandbox URL, PAT, source remote URL, target remote URL, oid, size, storage
 * connection string, container (read from standard input, one a line, so no secret is on a command line).
 */
public final class LfsTransferProbe {
  public static void main(String[] ignored) throws Exception {
    List<String> args = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    AdoSourceDirectory directory = new AdoSourceDirectory(
        AzureDevOpsClient.builder(AllowList.of(List.of(args.get(0) + "/"))).build());
    GitCredential pat = GitCredential.pat(null, Secret.of(args.get(1)));
    LfsPointer pointer = new LfsPointer(args.get(4), Long.parseLong(args.get(5)));
    LfsObjects objects = new LfsObjects(new BlobServiceClientBuilder().connectionString(args.get(6)).buildClient()
        .getBlobContainerClient(args.get(7)));
    LfsObjects.Outcome[] outcome = new LfsObjects.Outcome[1];
    directory.lfsObjects(new GitEndpoint(args.get(2), pat), List.of(pointer), new LfsReceiver() {
      @Override
      public void object(LfsPointer p, InputStream content) throws java.io.IOException {
        outcome[0] = objects.store("probe", p, content);
      }

      @Override
      public void unavailable(LfsPointer p, String reason) {
        throw new IllegalStateException(reason);
      }
    });
    if (outcome[0] != LfsObjects.Outcome.STORED) {
      throw new IllegalStateException("stored: " + outcome[0]);
    }
    int uploaded = directory.lfsUpload(new GitEndpoint(args.get(3), pat), List.of(pointer),
        p -> objects.open("probe", p.oid()));
    System.out.println("stored and uploaded " + uploaded + " object(s) of " + pointer.size() + " bytes with a heap of "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    System.exit(uploaded == 1 ? 0 : 2);
  }
}

package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.testing.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * LFS objects are never held whole in memory: a 96 MiB object goes from the source's LFS server
 * into the backup container and from there to a restore target's LFS server in a JVM whose whole
 * heap is 40 MiB.
 */
class LfsStreamingTest {
  static final int SIZE = 96 * 1024 * 1024;
  static final String HEAP = "-Xmx40m";

  @Test
  void anObjectLargerThanTheHeapStreamsThroughBackupAndRestore() throws Exception {
    byte[] video = new byte[SIZE];
    new Random(42).nextBytes(video);
    String oid = Sha256.hex(video);
    try (AdoSandbox sandbox = AdoSandbox.start()) {
      HostedRepository source = sandbox.organization("big-lfs").project("Media").repository("videos")
          .withLfsFile("launch.mp4", video);
      video = null;
      var target = new AdoSourceDirectory(AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).build())
          .createRepository(new SourceAccess(sandbox.organization("big-lfs").url().toString(),
              GitCredential.pat(null, Secret.of(sandbox.pat()))), "Media", "videos-restored");
      String container = "lfs-big-" + UUID.randomUUID();
      BlobContainerClient blobs = new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString())
          .buildClient().getBlobContainerClient(container);
      blobs.create();

      Path log = Files.createTempFile("lfs-probe", ".log");
      Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
          "-cp", System.getProperty("java.class.path"), LfsTransferProbe.class.getName())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      String input = String.join("\n", sandbox.url().toString(), sandbox.pat(), source.remoteUrl().toString(),
          target.remoteUrl(), oid, Integer.toString(SIZE), Azurite.shared().connectionString(), container) + "\n";
      probe.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      probe.getOutputStream().close();
      assertThat(probe.waitFor(3, TimeUnit.MINUTES)).as("the probe finished").isTrue();
      String output = Files.readString(log);
      Files.delete(log);
      assertThat(probe.exitValue()).as(output).isZero();
      assertThat(output).contains("stored and uploaded 1 object(s) of " + SIZE + " bytes");
      assertThat(blobs.getBlobClient(LfsObjects.blobName("probe", oid)).getProperties().getBlobSize()).isEqualTo(SIZE);
      assertThat(sandbox.organization("big-lfs").project("Media").repository("videos-restored").lfsObject(oid))
          .hasValueSatisfying(content -> assertThat(content).hasSize(SIZE));
    }
  }
}

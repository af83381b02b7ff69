package dev.bunker.store;

/**
 * A snapshot's bundle that storage already holds but for its header: {@code header} followed by the
 * bytes of blob {@code packBlob} (in the store's {@link dev.bunker.store.blob.Blobs}, {@code
 * packBytes} long) is the bundle, so it can be put together by storage itself without its pack
 * passing through this process. See {@link BackupRepository#storedBundle}.
 *
 * @param header the bundle's header: signature, refs (HEAD included), blank line
 * @param packBlob the stored pack that is the bundle's pack as it is
 * @param packBytes that blob's length
 * @param report what the bundle holds, as {@link BackupRepository#writeBundle} reports it
 */
public record StoredBundle(byte[] header, String packBlob, long packBytes, BundleReport report) {}

package dev.bunker.metadata;

import java.util.regex.Pattern;

/**
 * Where metadata lives in the backup container:
 * <pre>
 *   orgs/&lt;orgId&gt;/meta/objects/&lt;sha256&gt;                          a document, attachment or index chunk (gzip)
 *   orgs/&lt;orgId&gt;/meta/snapshots/&lt;projectId&gt;/&lt;snapshotId&gt;.json  the manifest
 *   orgs/&lt;orgId&gt;/meta/restores/&lt;restoreId&gt;/…                  what a restore made (see {@link RestoreLedger})
 * </pre>
 * Every id in a name is checked first: letters, digits, '.', '_' or '-', so no id reaches outside
 * its folder.
 */
final class MetadataLayout {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final String MANIFEST = ".json";

  private MetadataLayout() {}

  /** Whether {@code value} can name an organization, project or snapshot in the store. */
  static boolean isValidName(String value) {
    return value != null && SAFE_NAME.matcher(value).matches();
  }

  static void checkName(String what, String value) {
    if (!isValidName(value)) {
      throw new IllegalArgumentException(what + " must be letters, digits, '.', '_' or '-': " + value);
    }
  }

  static String objectName(String organizationId, String hash) {
    return objectsPrefix(organizationId) + hash;
  }

  static String objectsPrefix(String organizationId) {
    return "orgs/" + organizationId + "/meta/objects/";
  }

  /** Where the manifests of every project of the organization live, a folder per project. */
  static String snapshotsRoot(String organizationId) {
    return "orgs/" + organizationId + "/meta/snapshots/";
  }

  static String snapshotsPrefix(String organizationId, String projectId) {
    return snapshotsRoot(organizationId) + projectId + "/";
  }

  static String manifestName(String organizationId, String projectId, String snapshotId) {
    return snapshotsPrefix(organizationId, projectId) + snapshotId + MANIFEST;
  }

  static boolean isManifest(String name) {
    return name.endsWith(MANIFEST);
  }

  /** The snapshot id of a manifest's name relative to its project's folder; empty for other blobs. */
  static java.util.Optional<String> snapshotId(String relativeName) {
    return isManifest(relativeName) && !relativeName.contains("/")
        ? java.util.Optional.of(relativeName.substring(0, relativeName.length() - MANIFEST.length()))
        : java.util.Optional.empty();
  }

  static String restorePrefix(String organizationId, String restoreId) {
    return "orgs/" + organizationId + "/meta/restores/" + restoreId + "/";
  }
}

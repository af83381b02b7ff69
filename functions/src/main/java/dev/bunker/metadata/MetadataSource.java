package dev.bunker.metadata;

/**
 * Reads one project's metadata from its organization (pull requests, work items, pipelines) into
 * a sink. Implementation: {@code dev.bunker.ado.export.AzureDevOpsMetadata}.
 */
public interface MetadataSource {

  /**
   * Puts every document of {@code project} into {@code sink}. A part that cannot be read is listed
   * with {@link MetadataSink#omit} and the rest goes on; a credential that is not accepted ends it.
   */
  void export(ProjectRef project, MetadataSink sink);
}

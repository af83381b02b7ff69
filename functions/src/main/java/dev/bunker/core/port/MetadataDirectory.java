package dev.bunker.core.port;

import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.MetadataTarget;
import dev.bunker.metadata.ProjectRef;
import java.util.List;

/**
 * Azure DevOps as the metadata backup and restore see it: an organization's projects, and readers
 * and writers of their pull requests, work items and pipelines. Implemented over the Azure DevOps
 * REST client; every call, including those of the readers and writers it hands out, throws {@link
 * SourceException} with a reason a user can act on.
 */
public interface MetadataDirectory {
  /** Every project of the organization. */
  List<ProjectRef> projects(SourceAccess access);

  /** Reads projects' metadata with {@code access}. */
  MetadataSource reader(SourceAccess access);

  /** Writes build definitions and work items into projects with {@code access}. */
  MetadataTarget writer(SourceAccess access);
}

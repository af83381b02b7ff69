package dev.bunker.core.memory;

import dev.bunker.core.MetadataDirectory;
import dev.bunker.core.SourceAccess;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.MetadataTarget;
import dev.bunker.metadata.ProjectRef;
import java.util.List;

/**
 * An organization without projects to back up metadata of: domain tests of repositories stay as
 * they were (metadata is tested against the sandbox, through the real client).
 */
public final class InMemoryMetadataDirectory implements MetadataDirectory {
  @Override
  public List<ProjectRef> projects(SourceAccess access) {
    return List.of();
  }

  @Override
  public MetadataSource reader(SourceAccess access) {
    throw new UnsupportedOperationException("no projects here");
  }

  @Override
  public MetadataTarget writer(SourceAccess access) {
    throw new UnsupportedOperationException("no projects here");
  }
}

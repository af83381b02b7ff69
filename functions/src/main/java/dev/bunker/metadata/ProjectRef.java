package dev.bunker.metadata;

/** A project of an organization, by its id and (for people) name. */
public record ProjectRef(String id, String name) {

  /**
   * The organization itself as a metadata scope: its snapshots hold what belongs to no project
   * (projects, users and groups, extensions, agent pools, feeds) and are stored, listed, zipped and
   * retained like a project's under this reserved id, which no project id (a GUID) can take.
   */
  public static final ProjectRef ORGANIZATION = new ProjectRef("organization", "(organization)");

  /** Whether this is the {@link #ORGANIZATION} scope rather than a project. */
  public boolean isOrganization() {
    return ORGANIZATION.id().equals(id);
  }
}

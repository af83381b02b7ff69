package dev.bunker.core.port;

import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import java.util.List;
import java.util.Optional;

/**
 * Azure DevOps as Bunker sees it: organizations, projects and repositories. Implemented over the
 * Azure DevOps REST client. Every method throws {@link SourceException} with a reason a user can
 * act on, and contacts only allow-listed URLs ({@link SourceException.Reason#URL_NOT_ALLOWED}
 * otherwise, before any network call).
 */
public interface SourceDirectory {
  /** Checks that the credential is accepted by the organization (connection data); nothing is stored. */
  void connect(SourceAccess access);

  /** Every git repository of every project, and each project's wiki repositories. */
  List<SourceRepository> repositories(SourceAccess access);

  /** The repository {@code name} in {@code project}, if it exists. */
  Optional<SourceRepository> findRepository(SourceAccess access, String project, String name);

  /** Creates an empty git repository; {@link SourceException.Reason#CONFLICT} when it exists. */
  SourceRepository createRepository(SourceAccess access, String project, String name);

  /**
   * This directory for calls made inside an HTTP request, which the front end cuts off after 230 s:
   * each call gives up sooner (fewer attempts, shorter waits for throttling and for answers).
   */
  default SourceDirectory withinRequest() {
    return this;
  }
}

package dev.bunker.metadata;

import java.util.List;
import java.util.Map;

/**
 * What a restore would do in its target project, found without writing anything (a dry run).
 *
 * @param create how many of each kind (manifest names) it would make
 * @param skip what the target holds under the same name and the restore would leave as it is
 * @param rename what the target holds under the same name and the restore would make beside it, as
 *     {@code <what> <name> → <new name>}
 * @param notes what the plan cannot tell before writing
 */
public record RestorePlan(Map<String, Integer> create, List<String> skip, List<String> rename, List<String> notes) {}

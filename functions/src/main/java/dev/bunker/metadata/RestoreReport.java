package dev.bunker.metadata;

import java.util.List;
import java.util.Map;

/**
 * What a restore made in the target project.
 *
 * @param created count per kind (manifest names)
 * @param workItemIds source work item id to the id it got in the target
 * @param notes what was not restored as it was, and why (identities, secrets, history…)
 */
public record RestoreReport(Map<String, Integer> created, Map<String, String> workItemIds, List<String> notes) {}

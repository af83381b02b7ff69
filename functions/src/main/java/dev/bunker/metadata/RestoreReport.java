package dev.bunker.metadata;

import java.util.List;
import java.util.Map;

/**
 * What a restore made in the target project.
 *
 * @param created count per kind (manifest names), over every run of the restore
 * @param workItemIds source work item id to the id it got in the target
 * @param notes what was not restored as it was, and why (identities, secrets, history…)
 * @param unmappedIdentities people named in the snapshot whom the restore could not set (Azure
 *     DevOps put the restoring account in their place)
 * @param skipped what the target already held under the same name, left as it was and not restored
 * @param renamed what the target already held under the same name, restored beside it under another name
 */
public record RestoreReport(Map<String, Integer> created, Map<String, String> workItemIds, List<String> notes,
    List<String> unmappedIdentities, List<String> skipped, List<String> renamed) {}

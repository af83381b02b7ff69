package dev.bunker.ado.restore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.export.SecurityExport;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataTarget;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreLedger;
import dev.bunker.metadata.RestorePlan;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.metadata.SnapshotReader;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Restores into a project of an organization: area and iteration paths and shared queries (see
 * {@link BoardsRestore}), teams with their boards and dashboards ({@link TeamRestore}), pipelines
 * ({@link PipelineRestore}), branch policies ({@link PolicyRestore}), work items and test plans
 * ({@link TestPlanRestore}), work items ({@link WorkItemRestore}). Work items are created on their original area and iteration paths,
 * with their current fields (under {@code bypassRules}, so states and dates need no transitions),
 * attachments uploaded again (in chunks above {@link WorkItemRestore#SIMPLE_UPLOAD_LIMIT}), links between restored
 * items added once all exist, and comments added again with who wrote them and when (through
 * {@code System.History} where the Comments API does not exist yet). People fields (assigned to, created by…) name the same person in the target when its
 * organization knows them (by unique name or descriptor); otherwise Azure DevOps puts the restoring
 * account there and the report lists them as unmapped. What a restore cannot set (revision
 * history, secret values) is noted in the report.
 *
 * <p>Nothing the target holds is overwritten: what it has under the same name is skipped or made
 * beside under another name ({@link RestoreRun#onConflict}). Everything made is recorded in the
 * restore's ledger right after the target made it, and what the ledger holds is not made again,
 * so a restore run again after it was stopped continues where it stopped. A call that succeeded
 * at Azure DevOps but was not recorded (the process stopped in between) is the one thing a run
 * again can repeat: at most one work item, comment or definition per thread stopped mid-call.
 */
public final class AzureDevOpsRestore implements MetadataTarget {

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;

  private AzureDevOpsRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
  }

  public static AzureDevOpsRestore of(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    return new AzureDevOpsRestore(client, organization, credential);
  }

  @Override
  public RestoreReport restore(SnapshotReader snapshot, ProjectRef target, OnConflict onConflict,
      RestoreLedger ledger) {
    RestoreRun run = new RestoreRun(ledger, onConflict);
    BoardsRestore boards = new BoardsRestore(client, organization, credential);
    BoardsRestore.PathMap paths = boards.paths(snapshot, target, run);
    Map<String, String> queryIds = boards.queries(snapshot, target, run);
    TargetIdentities people = new TargetIdentities(client.exchange(), organization, credential);
    new TeamRestore(client, organization, credential).teams(snapshot, target, paths, queryIds, people, run);
    PipelineRestore pipelines = new PipelineRestore(client, organization, credential);
    pipelines.restore(snapshot, target, people, run);
    new PolicyRestore(client, organization, credential).policies(snapshot, target, pipelines.buildDefinitionIds(),
        people, run);
    Set<String> kept = new WorkItemRestore(client, organization, credential).workItems(snapshot, target, paths, people,
        run);
    Map<String, String> workItemIds = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
    kept.forEach(id -> workItemIds.put(id, id));
    workItemIds.putAll(ledger.entries(MetadataKind.WORK_ITEM.key()));
    new TestPlanRestore(client, organization, credential).plans(snapshot, target, paths, workItemIds, run);
    BoardsRestore.notRestored(snapshot, run.notes);
    SecurityExport.notRestored(snapshot, run.notes);
    return new RestoreReport(ledger.counts(), workItemIds, List.copyOf(run.notes), List.copyOf(run.identities),
        List.copyOf(run.skipped), List.copyOf(run.renamed));
  }

  @Override
  public RestorePlan plan(SnapshotReader snapshot, ProjectRef target, OnConflict onConflict) {
    return new RestorePlanner(client, organization, credential).plan(snapshot, target, onConflict);
  }

  static JsonNode read(SnapshotReader snapshot, MetadataKind kind, String id) {
    return AdoJson.json(snapshot.document(kind, id).orElseThrow());
  }
}

package dev.bunker.core.port;

/** Everything Bunker records about organizations, runs and snapshots (Azure Tables in production). */
public record Catalog(
    OrganizationRecords organizations,
    CredentialRecords credentials,
    RepositoryRecords repositories,
    RunRecords runs,
    SnapshotRecords snapshots,
    RestoreRecords restores,
    MetadataRestoreRecords metadataRestores) {}

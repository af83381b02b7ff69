package dev.bunker.core.port;

import dev.bunker.metadata.MetadataStore;

/**
 * The parts project metadata backups run on: Azure DevOps to read from and restore into, the
 * content-addressed store, zip exports, and leases that keep garbage collection apart from backups.
 */
public record MetadataBackend(MetadataDirectory directory, MetadataStore store, MetadataExports exports,
    Leases leases) {}

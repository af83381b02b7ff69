/** Adapters onto Azure services other than Tables: Key Vault secrets, Blob storage for git snapshots, exports, LFS objects and leases, Storage queues, the Entra token endpoint. */
package dev.bunker.azure;

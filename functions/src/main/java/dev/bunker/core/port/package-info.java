/** The interfaces adapters implement (catalog records, secrets, queues, leases, source and snapshot stores), with the guarantees written on them. */
package dev.bunker.core.port;

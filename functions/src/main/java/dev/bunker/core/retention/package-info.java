/** Keeping what the policy says and no more: retention, garbage collection locks, and verification of stored snapshots. */
package dev.bunker.core.retention;

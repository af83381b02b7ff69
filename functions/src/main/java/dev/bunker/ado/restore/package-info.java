/** Writes metadata snapshots back into an organization: one restorer per kind, the planner that says what would be created or skipped, and the id maps between source and target. */
package dev.bunker.ado.restore;

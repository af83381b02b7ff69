/** Snapshot inventory, bundle and zip downloads, and restores of repositories and metadata. */
package dev.bunker.core.restore;

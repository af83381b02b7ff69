/** The domain: what Bunker does, knowing no Azure, Functions, Jackson or Azure DevOps types. {@link dev.bunker.core.Bunker} builds the services from the ports. */
package dev.bunker.core;

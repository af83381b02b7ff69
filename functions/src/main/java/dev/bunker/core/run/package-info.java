/** Backup runs: scheduling by policy, discovery of repositories, dispatch at bounded concurrency and the per-repository worker. */
package dev.bunker.core.run;

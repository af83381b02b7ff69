/** Reads an organization's project data (work items, pull requests, pipelines, boards, teams, test plans, security, TFVC) into metadata snapshots. */
package dev.bunker.ado.export;

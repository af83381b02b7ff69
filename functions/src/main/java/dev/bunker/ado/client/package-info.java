/** The Azure DevOps REST, git and LFS client: one {@link dev.bunker.ado.client.Exchange} running each {@link dev.bunker.ado.client.AdoRequest} through redirect guard, concurrency bound, api-version negotiation, pacing, retry and decoding; allow-list, organization URLs, credentials and paging. */
package dev.bunker.ado.client;

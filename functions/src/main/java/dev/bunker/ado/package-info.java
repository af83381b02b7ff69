/** Azure DevOps as Bunker sees it: {@link dev.bunker.ado.AdoSourceDirectory} adapts the client, exporters and restorers below to the domain's source ports. */
package dev.bunker.ado;

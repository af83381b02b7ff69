package dev.bunker.core.model;

/** Azure DevOps Services in the cloud, or an Azure DevOps Server collection. */
public enum OrganizationKind {
  CLOUD,
  SERVER
}

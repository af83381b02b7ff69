package dev.bunker.ado.client;

/**
 * Who the credential authenticated as, from {@code _apis/connectionData}.
 *
 * @param deploymentType {@code hosted} (Azure DevOps Services) or {@code onPremises} (Server)
 * @param apiVersion the api-version this organization was found to speak
 */
public record ConnectionData(String userId, String userDisplayName, String instanceId,
    String deploymentType, String apiVersion) {}

// Least privilege for the function app's user-assigned managed identity, by built-in role
// definition id (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
// Every id is commented with its role name; InfraTemplateTest checks both against a known list.
param principalId string
param appStorageName string
param backupStorageName string
param backupContainerName string
param keyVaultName string
param appInsightsName string
param keyVaultSecretOfficerPrincipalIds array
param backupReaderPrincipalIds array

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
var storageBlobDelegator = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a' // Storage Blob Delegator
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' // Storage Blob Data Reader
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // Key Vault Secrets Officer
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

resource appStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: appStorageName
}

resource backupStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: backupStorageName
}

resource backupContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  name: '${backupStorageName}/default/${backupContainerName}'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// App storage: the Functions host keeps blobs (timers, leases, the deployment package) there.
resource appBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appStorage.id, principalId, storageBlobDataOwner)
  scope: appStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner) // Storage Blob Data Owner
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// App storage: the discover, backup-repo, restore and export queues (and their poison queues).
resource appQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appStorage.id, principalId, storageQueueDataContributor)
  scope: appStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor) // Storage Queue Data Contributor
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// App storage: the catalog tables.
resource appTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appStorage.id, principalId, storageTableDataContributor)
  scope: appStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor) // Storage Table Data Contributor
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Backup storage: read and write blobs of the backups container only. No version deletion
// and no permanent delete: those need Storage Blob Data Owner, which Bunker never gets here.
resource backupBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(backupContainer.id, principalId, storageBlobDataContributor)
  scope: backupContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor) // Storage Blob Data Contributor
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Backup storage: a user delegation key signs short-lived read-only download links. The data
// role above is scoped to the container, and the key is an account-level operation.
resource backupDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(backupStorage.id, principalId, storageBlobDelegator)
  scope: backupStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDelegator) // Storage Blob Delegator
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault: store PATs and refresh tokens as secrets, read them back, delete them.
resource vaultSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer) // Key Vault Secrets Officer
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights: send telemetry with Entra ID authentication (local auth is disabled).
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher) // Monitoring Metrics Publisher
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Administrators who put the OAuth client secret into the vault.
resource administratorSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for administrator in keyVaultSecretOfficerPrincipalIds: {
  name: guid(vault.id, administrator, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer) // Key Vault Secrets Officer
    principalId: administrator
  }
}]

// People who may restore from storage alone, without Bunker.
resource backupReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for reader in backupReaderPrincipalIds: {
  name: guid(backupStorage.id, reader, storageBlobDataReader)
  scope: backupStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader) // Storage Blob Data Reader
    principalId: reader
  }
}]

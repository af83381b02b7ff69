// Key Vault for PATs, OAuth refresh tokens and the OAuth client secret. Access by Azure RBAC
// only (no access policies); deleted secrets and the vault itself stay recoverable.
param name string
param location string
param tags object
param allowedIpRanges array
param logAnalyticsWorkspaceId string

@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

var restrictNetwork = publicNetworkAccess == 'Disabled' || !empty(allowedIpRanges)

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Once on it cannot be turned off: nobody can purge a deleted secret or vault early.
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: restrictNetwork ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
      ipRules: [for ipRange in allowedIpRanges: {
        value: ipRange
      }]
    }
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri

// The backup storage account, separate from the app's: versioned, soft-deleted, optionally
// immutable blobs; Entra ID only; audit logs of writes and deletes to Log Analytics.
param name string
param location string
param tags object
param containerName string
param softDeleteRetentionDays int
param previousVersionRetentionDays int
param immutabilityPeriodDays int
param coolAfterDays int
param coldAfterDays int
param allowedIpRanges array
param lock bool
param skuName string
param logAnalyticsWorkspaceId string
@description('User-assigned identity that reads the customer-managed key; empty: Microsoft-managed keys.')
param encryptionIdentityId string
param encryptionKeyVaultUri string
param encryptionKeyName string

@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

var restrictNetwork = publicNetworkAccess == 'Disabled' || !empty(allowedIpRanges)
var customerManagedKey = !empty(encryptionIdentityId)

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  identity: customerManagedKey ? {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${encryptionIdentityId}': {}
    }
  } : null
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Bunker signs download links with user delegation keys, never with account keys.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: restrictNetwork ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
      ipRules: [for ipRange in allowedIpRanges: {
        value: ipRange
        action: 'Allow'
      }]
    }
    // Version-level WORM for every blob version; only possible when the account is created.
    immutableStorageWithVersioning: immutabilityPeriodDays > 0 ? {
      enabled: true
      immutabilityPolicy: {
        immutabilityPeriodSinceCreationInDays: immutabilityPeriodDays
        state: 'Unlocked'
        allowProtectedAppendWrites: false
      }
    } : null
    // With no key version the account follows the key's rotation (checked daily by Azure Storage).
    encryption: customerManagedKey ? {
      keySource: 'Microsoft.Keyvault'
      identity: {
        userAssignedIdentity: encryptionIdentityId
      }
      keyvaultproperties: {
        keyvaulturi: encryptionKeyVaultUri
        keyname: encryptionKeyName
      }
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
      }
    } : null
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // Every overwrite or delete keeps the previous version; the managed identity's role
    // (Storage Blob Data Contributor) cannot delete versions, so it cannot destroy history.
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

var tierActions = union(
  coolAfterDays > 0 ? { tierToCool: { daysAfterModificationGreaterThan: coolAfterDays } } : {},
  coldAfterDays > 0 ? { tierToCold: { daysAfterModificationGreaterThan: coldAfterDays } } : {}
)

// Pack files never change once written, so old ones can sit in a cheaper online tier.
var tierOldPacks = {
  name: 'tierOldPacks'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${containerName}/orgs/'
      ]
    }
    actions: {
      baseBlob: tierActions
    }
  }
}

// Bundle downloads (exports/…) are written on request and handed out as short-lived links: they
// are copies, so they go after a few days (or once an immutability period lets them).
var expireExports = {
  name: 'expireExports'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${containerName}/exports/'
      ]
    }
    actions: {
      baseBlob: {
        delete: {
          daysAfterModificationGreaterThan: max(2, immutabilityPeriodDays + 1)
        }
      }
    }
  }
}

// Versions left behind by manifest updates and garbage collection.
var expirePreviousVersions = {
  name: 'expirePreviousVersions'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${containerName}/'
      ]
    }
    actions: {
      version: {
        delete: {
          daysAfterCreationGreaterThan: max(previousVersionRetentionDays, immutabilityPeriodDays)
        }
      }
    }
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: concat(empty(tierActions) ? [] : [
        tierOldPacks
      ], [
        expireExports
        expirePreviousVersions
      ])
    }
  }
  dependsOn: [
    container
  ]
}

resource deleteLock 'Microsoft.Authorization/locks@2020-05-01' = if (lock) {
  name: 'keep-backups'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'Bunker backups. Remove this lock deliberately before deleting the account.'
  }
}

// Who wrote or deleted what, kept in Log Analytics.
resource blobAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob

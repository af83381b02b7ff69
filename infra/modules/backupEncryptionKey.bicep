// The customer-managed key of the backup storage account: an RSA key in Bunker's Key Vault that
// rotates itself, and a user-assigned identity of its own that the storage account uses to wrap
// and unwrap its data keys (Key Vault Crypto Service Encryption User on this key only). The
// function app's identity never gets the key.
param keyVaultName string
param keyName string
param identityName string
param location string
param tags object
@description('ISO 8601 duration after creation when a new key version is made, e.g. P1Y.')
param rotateAfter string
@description('ISO 8601 duration a key version stays valid; longer than rotateAfter.')
param expireAfter string

var keyVaultCryptoServiceEncryptionUser = 'e147488a-f6f5-4113-8e2d-b22465e65bf6' // Key Vault Crypto Service Encryption User

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource key 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: keyName
  tags: tags
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    rotationPolicy: {
      attributes: {
        expiryTime: expireAfter
      }
      lifetimeActions: [
        {
          trigger: {
            timeAfterCreate: rotateAfter
          }
          action: {
            type: 'rotate'
          }
        }
        {
          trigger: {
            timeBeforeExpiry: 'P30D'
          }
          action: {
            type: 'notify'
          }
        }
      ]
    }
  }
}

// On the key alone, not the vault: the identity can use this key and nothing else.
resource keyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(key.id, identity.id, keyVaultCryptoServiceEncryptionUser)
  scope: key
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultCryptoServiceEncryptionUser) // Key Vault Crypto Service Encryption User
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output identityId string = identity.id
output keyName string = key.name
output keyVaultUri string = vault.properties.vaultUri

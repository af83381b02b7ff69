// The Flex Consumption plan (FC1, Linux) and the Java 17 function app. The runtime, scale and
// deployment package live in functionAppConfig; app settings are set by functionAppSettings.bicep.
param name string
param location string
param tags object

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('URL of the blob container that receives the deployment package.')
param deploymentContainerUrl string

param maximumInstanceCount int
param instanceMemoryMB int

@description('Subnet (delegated to Microsoft.App/environments) for VNet integration; empty for none.')
param subnetId string

@description('azd finds the app to deploy the functions service to by this tag.')
param serviceName string = 'functions'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': serviceName
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references (App Service authentication's secret) resolve as this identity.
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'java'
        version: '17'
      }
    }
  }
}

// Deployments authenticate with Entra ID (azd, az); no FTP or basic-auth publishing credentials.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName

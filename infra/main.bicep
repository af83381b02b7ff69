// Bunker: everything one deployment needs, in one resource group.
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json
// or `azd up` (azure.yaml). Deployment guide and parameter table: docs/deploy.md.
targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

@description('Base name of the resources. Names that must be globally unique get a suffix derived from the subscription, resource group and this name.')
@minLength(2)
@maxLength(16)
param name string = 'bunker'

@description('Region of every resource. Must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Tags added to every resource.')
param tags object = {}

@description('Upper bound of function app instances (Flex Consumption allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each function app instance in MB. JGit repacks are memory hungry: prefer 2048 or more.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Blob container of the backup storage account that holds the backed-up repositories.')
@minLength(3)
@maxLength(63)
param backupContainerName string = 'backups'

@description('Redundancy of the backup storage account. Zone- or geo-redundant keeps backups through a datacenter or region outage.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param backupStorageSku string = 'Standard_ZRS'

@description('Days a deleted blob or container of the backup account stays recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 30

@description('Days previous blob versions of the backup account are kept before the lifecycle policy deletes them.')
@minValue(1)
@maxValue(3650)
param previousVersionRetentionDays int = 30

@description('Days of time-based immutability (WORM) for every blob version of the backup account; 0 turns it off. Can only be turned on when the account is first created. Previous versions cannot be deleted by anyone, Bunker included, until they are this old.')
@minValue(0)
@maxValue(146000)
param immutabilityPeriodDays int = 0

@description('Days after its last change a blob under <container>/orgs/ moves to the cool tier; 0 keeps it hot. Cool blobs deleted (by garbage collection) within 30 days incur an early-deletion charge.')
@minValue(0)
param coolAfterDays int = 30

@description('Days after its last change a blob under <container>/orgs/ moves to the cold tier; 0 turns it off. Must be larger than coolAfterDays when both are set; 90-day early-deletion charge.')
@minValue(0)
param coldAfterDays int = 0

@description('Public IP ranges (CIDR) of operators allowed to reach the backup storage account and the Key Vault besides the private endpoints. Needs privateEndpointSubnetId: the function app has no fixed public address. Empty: all public networks with private endpoints off (access still needs Entra ID and RBAC), none with them on.')
param allowedIpRanges array = []

@description('Protect the backup storage account from deletion with a CanNotDelete lock.')
param lockBackupStorage bool = true

@description('Resource id of a subnet delegated to Microsoft.App/environments for VNet integration, so the workers can reach an Azure DevOps Server on a private or on-premises network. Empty: no VNet integration.')
param functionSubnetId string = ''

@description('Resource id of a subnet for private endpoints of both storage accounts and the Key Vault; their public network access is then disabled. Needs functionSubnetId. Empty: no private endpoints.')
param privateEndpointSubnetId string = ''

@description('Create the privatelink DNS zones in this resource group and link them to the private endpoint subnet\'s virtual network. Turn off when the zones are managed centrally.')
param createPrivateDnsZones bool = true

@description('Extra organization URL prefixes allowed besides Azure DevOps Services, such as an Azure DevOps Server collection URL.')
param allowedOrganizationUrls array = []

@description('Hosts notification webhooks may post to (hooks.contoso.com, or *.contoso.com for its subdomains); empty: Teams and Slack (*.webhook.office.com, *.logic.azure.com, *.environment.api.powerplatform.com, hooks.slack.com).')
param allowedWebhookHosts array = []

@description('Client id of the Entra ID app registration used to connect organizations with OAuth. Empty: OAuth is off and organizations connect with personal access tokens.')
param oauthClientId string = ''

@description('Tenant of the OAuth app registration (a tenant id, or organizations for a multi-tenant app).')
param oauthTenantId string = tenant().tenantId

@description('Authority URL replacing the one derived from the tenant (sovereign clouds). Empty: derived.')
param oauthAuthority string = ''

@description('Name of the Key Vault secret holding the OAuth app registration\'s client secret (you create it after deployment).')
param oauthClientSecretName string = 'oauth-client-secret'

@description('Redirect URI registered on the app registration. Empty: https://<function app host>/api/oauth/callback.')
param oauthRedirectUri string = ''

@description('Name of the Key Vault secret holding the key that signs OAuth state.')
param stateSigningSecretName string = 'oauth-state-signing-key'

@description('Client id of the Entra ID app registration App Service authentication validates sign-ins and tokens for; it defines the admin app role (docs/deploy.md). Empty: oauthClientId.')
param adminAuthClientId string = ''

@description('Key Vault secret holding the client secret of adminAuthClientId\'s app registration. Empty: oauthClientSecretName (the same app registration).')
param adminAuthClientSecretName string = ''

@description('App Service authentication (Entra ID) in front of the admin API and console: required (every caller signs in or sends a token, except health and the OAuth callback; the default when an app registration is given); optional (anonymous callers reach the app, which refuses them on admin endpoints); none (nobody can use the admin API: Bunker trusts no caller without App Service authentication).')
@allowed([
  'none'
  'optional'
  'required'
])
param adminAuthentication string = empty(adminAuthClientId) && empty(oauthClientId) ? 'none' : 'required'

@description('App role (value) of the app registration that makes a caller a Bunker admin: assign it to admins and to automation\'s service principals.')
param adminRole string = 'Bunker.Admin'

@description('Object ids of Entra ID groups whose members are Bunker admins besides holders of adminRole (needs the groups claim in tokens).')
param adminGroupIds array = []

@description('Days the audit trail (table audit: who changed what through the admin API) is kept; at least a year, leap years included.')
@minValue(366)
param auditRetentionDays int = 400

@description('Minutes a git fetch or push waits for Azure DevOps (or a restore target) to connect, and then for each read to bring something, before the backup or restore fails and is retried; below the 30-minute function timeout.')
@minValue(1)
@maxValue(25)
param gitTransferTimeoutMinutes int = 10

@description('Object ids of people or groups who may manage Key Vault secrets (store the OAuth client secret, rotate PATs): Key Vault Secrets Officer.')
param keyVaultSecretOfficerPrincipalIds array = []

@description('Object ids of people or groups who may read the backups directly, for restores without Bunker: Storage Blob Data Reader on the backup account.')
param backupReaderPrincipalIds array = []

@description('Email addresses the alerts on Bunker\'s signals (failed runs, missed RPO, rejected credentials, damage, unhealthy app) go to. Empty: the alert rules still fire and show in Azure Monitor, nobody is mailed.')
param alertEmailAddresses array = []

@description('Encrypt the backup storage account with a customer-managed key in Bunker\'s Key Vault (rotated by its rotation policy) instead of Microsoft-managed keys. Turning it off later does not decrypt anything; deleting the key makes every backup unreadable.')
param customerManagedKey bool = false

@description('ISO 8601 duration after which the customer-managed key gets a new version (the storage account follows within a day).')
param customerManagedKeyRotateAfter string = 'P1Y'

@description('ISO 8601 duration a customer-managed key version stays valid; must be longer than customerManagedKeyRotateAfter.')
param customerManagedKeyExpireAfter string = 'P2Y'

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

var suffix = uniqueString(subscription().id, resourceGroup().id, name)
var compactName = toLower(replace(name, '-', ''))
var functionAppName = '${name}-${suffix}'
var appStorageName = take('st${compactName}app${suffix}', 24)
var backupStorageName = take('st${compactName}bak${suffix}', 24)
var keyVaultName = take('kv-${compactName}-${suffix}', 24)
var deploymentContainerName = 'app-package'
var usePrivateEndpoints = !empty(privateEndpointSubnetId)
// Operators' IP ranges keep the public endpoint open to them alone; otherwise private endpoints close it.
var protectedPublicNetworkAccess = usePrivateEndpoints && empty(allowedIpRanges) ? 'Disabled' : 'Enabled'
var authClientId = empty(adminAuthClientId) ? oauthClientId : adminAuthClientId
var authClientSecretName = empty(adminAuthClientSecretName) ? oauthClientSecretName : adminAuthClientSecretName
var oauthEnabled = !empty(oauthClientId)

// Queues and tables the app uses (docs/design.md §9, §10.3); created here so that a
// fresh deployment is complete before the first message arrives.
var queueNames = [
  'discover'
  'backup-repo'
  'restore'
  'export'
  'backup-metadata'
  'export-metadata'
  'restore-metadata'
  'verify'
  'notify'
  'discover-poison'
  'backup-repo-poison'
  'restore-poison'
  'export-poison'
  'backup-metadata-poison'
  'export-metadata-poison'
  'restore-metadata-poison'
  'verify-poison'
  'notify-poison'
]
var tableNames = [
  'organizations'
  'credentials'
  'runs'
  'results'
  'repositories'
  'snapshots'
  'restores'
  'metadatarestores'
  'notifications'
  'notificationevents'
]

// ---------------------------------------------------------------------------
// Identity, monitoring, storage, Key Vault
// ---------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${functionAppName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${functionAppName}'
    appInsightsName: 'appi-${functionAppName}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module appStorage 'modules/appStorage.bicep' = {
  name: 'appStorage'
  params: {
    name: appStorageName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    queueNames: queueNames
    tableNames: tableNames
    publicNetworkAccess: usePrivateEndpoints ? 'Disabled' : 'Enabled'
  }
}

module backupEncryptionKey 'modules/backupEncryptionKey.bicep' = if (customerManagedKey) {
  name: 'backupEncryptionKey'
  params: {
    keyVaultName: keyVault.outputs.name
    keyName: 'backup-storage'
    identityName: 'id-${functionAppName}-cmk'
    location: location
    tags: tags
    rotateAfter: customerManagedKeyRotateAfter
    expireAfter: customerManagedKeyExpireAfter
  }
}

module backupStorage 'modules/backupStorage.bicep' = {
  name: 'backupStorage'
  params: {
    name: backupStorageName
    location: location
    tags: tags
    containerName: backupContainerName
    softDeleteRetentionDays: softDeleteRetentionDays
    previousVersionRetentionDays: previousVersionRetentionDays
    immutabilityPeriodDays: immutabilityPeriodDays
    coolAfterDays: coolAfterDays
    coldAfterDays: coldAfterDays
    allowedIpRanges: allowedIpRanges
    publicNetworkAccess: protectedPublicNetworkAccess
    lock: lockBackupStorage
    skuName: backupStorageSku
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    encryptionIdentityId: customerManagedKey ? backupEncryptionKey.outputs.identityId : ''
    encryptionKeyVaultUri: customerManagedKey ? backupEncryptionKey.outputs.keyVaultUri : ''
    encryptionKeyName: customerManagedKey ? backupEncryptionKey.outputs.keyName : ''
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    allowedIpRanges: allowedIpRanges
    publicNetworkAccess: protectedPublicNetworkAccess
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
  }
}

module roles 'modules/roleAssignments.bicep' = {
  name: 'roleAssignments'
  params: {
    principalId: identity.properties.principalId
    appStorageName: appStorage.outputs.name
    backupStorageName: backupStorage.outputs.name
    backupContainerName: backupContainerName
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultSecretOfficerPrincipalIds: keyVaultSecretOfficerPrincipalIds
    backupReaderPrincipalIds: backupReaderPrincipalIds
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    appInsightsName: monitoring.outputs.appInsightsName
    location: location
    tags: tags
    emailAddresses: alertEmailAddresses
  }
}

// ---------------------------------------------------------------------------
// Networking (optional)
// ---------------------------------------------------------------------------

// Zone names for the public cloud's storage suffix; Key Vault's privatelink zone has no
// environment() suffix, so sovereign clouds set createPrivateDnsZones=false and bring their own.
var privateDnsZoneNames = {
  blob: 'privatelink.blob.${environment().suffixes.storage}'
  queue: 'privatelink.queue.${environment().suffixes.storage}'
  table: 'privatelink.table.${environment().suffixes.storage}'
  vault: 'privatelink.vaultcore.azure.net'
}

module dnsZones 'modules/privateDnsZones.bicep' = if (usePrivateEndpoints && createPrivateDnsZones) {
  name: 'privateDnsZones'
  params: {
    zoneNames: [for zone in items(privateDnsZoneNames): zone.value]
    subnetId: privateEndpointSubnetId
    tags: tags
  }
}

// Targets by resourceId() so the loop is known when the deployment starts.
var privateEndpoints = [
  {
    name: 'pe-${appStorageName}-blob'
    target: resourceId('Microsoft.Storage/storageAccounts', appStorageName)
    groupId: 'blob'
  }
  {
    name: 'pe-${appStorageName}-queue'
    target: resourceId('Microsoft.Storage/storageAccounts', appStorageName)
    groupId: 'queue'
  }
  {
    name: 'pe-${appStorageName}-table'
    target: resourceId('Microsoft.Storage/storageAccounts', appStorageName)
    groupId: 'table'
  }
  {
    name: 'pe-${backupStorageName}-blob'
    target: resourceId('Microsoft.Storage/storageAccounts', backupStorageName)
    groupId: 'blob'
  }
  {
    name: 'pe-${keyVaultName}-vault'
    target: resourceId('Microsoft.KeyVault/vaults', keyVaultName)
    groupId: 'vault'
  }
]

module endpoints 'modules/privateEndpoint.bicep' = [for endpoint in privateEndpoints: if (usePrivateEndpoints) {
  name: endpoint.name
  params: {
    name: endpoint.name
    location: location
    tags: tags
    subnetId: privateEndpointSubnetId
    targetResourceId: endpoint.target
    groupId: endpoint.groupId
    privateDnsZoneId: createPrivateDnsZones ? resourceId('Microsoft.Network/privateDnsZones', privateDnsZoneNames[endpoint.groupId]) : ''
  }
  dependsOn: [
    appStorage
    backupStorage
    keyVault
    dnsZones
  ]
}]

// ---------------------------------------------------------------------------
// Function app
// ---------------------------------------------------------------------------

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    name: functionAppName
    location: location
    tags: tags
    identityId: identity.id
    deploymentContainerUrl: '${appStorage.outputs.blobEndpoint}${deploymentContainerName}'
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    subnetId: functionSubnetId
  }
}

var functionAppHost = functionApp.outputs.defaultHostName

// The app settings: every setting the code reads (functions/src/main/java/dev/bunker/app/Setting.java,
// except the local-only connection strings) and the platform's own. Flex Consumption sets the
// runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME and friends must not appear here.
var appSettings = union({
  // Host storage (queues, timers, leases) by managed identity: no connection string, no key.
  AzureWebJobsStorage__accountName: appStorage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  // Telemetry with Entra ID authentication (the component has local auth disabled).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  // Worker JVM options, after the Java worker's default -XX:TieredStopAtLevel=1 (the last wins): C2
  // on, which the app keeps to the JDK's SHA digests (HashingCompilation); the serial collector,
  // which the JVM picks by itself on the default 1-core instance and which costs less CPU than G1
  // on the 2-core one (docs/capacity.md).
  languageWorkers__java__arguments: '-XX:TieredStopAtLevel=4 -XX:+UseSerialGC'
  // Bunker's own settings.
  BACKUP_STORAGE__blobServiceUri: backupStorage.outputs.blobEndpoint
  BACKUP_CONTAINER: backupContainerName
  KEY_VAULT_URI: keyVault.outputs.uri
  AZURE_CLIENT_ID: identity.properties.clientId
  ALLOWED_ORGANIZATION_URLS: join(allowedOrganizationUrls, ',')
  ALLOWED_WEBHOOK_HOSTS: join(allowedWebhookHosts, ',')
  OAUTH_CLIENT_ID: oauthClientId
  OAUTH_TENANT_ID: oauthEnabled ? oauthTenantId : ''
  OAUTH_AUTHORITY: oauthEnabled ? oauthAuthority : ''
  OAUTH_CLIENT_SECRET_NAME: oauthEnabled ? oauthClientSecretName : ''
  OAUTH_REDIRECT_URI: !oauthEnabled ? '' : (empty(oauthRedirectUri) ? 'https://${functionAppHost}/api/oauth/callback' : oauthRedirectUri)
  STATE_SIGNING_SECRET_NAME: oauthEnabled ? stateSigningSecretName : ''
  // The admin API admits callers App Service authentication signed in with adminRole or one of
  // adminGroupIds; Bunker refuses to be opened up in Azure.
  ADMIN_ACCESS: 'enforced'
  ADMIN_ROLE: adminRole
  ADMIN_GROUP_IDS: join(adminGroupIds, ',')
  AUDIT_RETENTION_DAYS: string(auditRetentionDays)
  GIT_TRANSFER_TIMEOUT_MINUTES: string(gitTransferTimeoutMinutes)
}, adminAuthentication == 'none' ? {} : {
  // App Service authentication reads the app registration's secret through a Key Vault
  // reference resolved with the managed identity; the value never appears in the template.
  MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${authClientSecretName})'
})

module functionAppSettings 'modules/functionAppSettings.bicep' = {
  name: 'functionAppSettings'
  params: {
    functionAppName: functionApp.outputs.name
    appSettings: appSettings
    adminAuthentication: adminAuthentication
    authClientId: authClientId
    // Administrators sign in to the tenant Bunker is deployed in.
    authTenantId: tenant().tenantId
  }
  // The host starts using storage, Key Vault and telemetry as soon as its settings land.
  dependsOn: [
    roles
    endpoints
  ]
}

// ---------------------------------------------------------------------------
// Outputs (no keys, no secrets)
// ---------------------------------------------------------------------------

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = 'https://${functionAppHost}'
output keyVaultUri string = keyVault.outputs.uri
output backupStorageAccountName string = backupStorage.outputs.name
output backupContainerName string = backupContainerName
output identityClientId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId

// Log Analytics workspace and a workspace-based Application Insights component that only
// accepts Entra ID authenticated telemetry (the function app signs in as its managed identity).
param workspaceName string
param appInsightsName string
param location string
param tags object
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Instrumentation keys alone cannot ingest: the connection string is not a credential.
    DisableLocalAuth: true
  }
}

output workspaceId string = workspace.id
output appInsightsName string = appInsights.name
output connectionString string = appInsights.properties.ConnectionString

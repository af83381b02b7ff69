// Alerts on the signals Bunker logs (functions/src/main/java/dev/bunker/core/model/Signal.java; docs/design.md §17): one
// scheduled query rule per signal over Application Insights, each mailing the action group.
// InfraTemplateTest checks that the names below are exactly the enum's; docs/deploy.md lists them.
param appInsightsName string
param location string
param tags object
param emailAddresses array

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var signals = [
  {
    name: 'BunkerRunFailed'
    severity: 1
    description: 'A backup run ended without backing up a single repository or project (or could not list them).'
  }
  {
    name: 'BunkerRunPartiallyFailed'
    severity: 2
    description: 'A backup run ended with some repositories or projects not backed up.'
  }
  {
    name: 'BunkerRpoMissed'
    severity: 2
    description: 'A scheduled slot came while the previous scheduled run had not backed up every repository: its recovery point is older than the schedule promises.'
  }
  {
    name: 'BunkerCredentialRejected'
    severity: 1
    description: 'Azure DevOps refused an organization\'s credential (expired or revoked PAT): no backups until it is replaced.'
  }
  {
    name: 'BunkerConsentLost'
    severity: 1
    description: 'An organization\'s OAuth grant was revoked or expired: no backups until an administrator signs in again.'
  }
  {
    name: 'BunkerDamageFound'
    severity: 0
    description: 'A verification found objects of a snapshot missing or corrupt: that snapshot is not restorable whole.'
  }
  {
    name: 'BunkerAppUnhealthy'
    severity: 1
    description: 'The health check found storage, the queues or the secret store not answering.'
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2022-06-01' = if (!empty(emailAddresses)) {
  name: 'ag-${appInsightsName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'bunker'
    enabled: true
    emailReceivers: [for (address, i) in emailAddresses: {
      name: 'email-${i}'
      emailAddress: address
      useCommonAlertSchema: true
    }]
  }
}

// Each signal line is counted once: the rule looks at the last 15 minutes every 15 minutes.
resource rules 'Microsoft.Insights/scheduledQueryRules@2021-08-01' = [for signal in signals: {
  name: 'alert-${appInsightsName}-${signal.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${signal.name} (${appInsightsName})'
    description: signal.description
    severity: signal.severity
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'traces | where message has "${signal.name}"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // Every line is an event of its own: nothing resolves it.
    autoMitigate: false
    actions: {
      actionGroups: empty(emailAddresses) ? [] : [
        actionGroup.id
      ]
    }
  }
}]

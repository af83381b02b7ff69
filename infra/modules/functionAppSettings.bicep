// App settings of the function app (built in main.bicep) and, optionally, App Service
// authentication with Microsoft Entra ID in front of the admin API and console.
param functionAppName string

@description('Every app setting; replaces the app\'s settings as a whole.')
param appSettings object

@allowed([
  'none'
  'optional'
  'required'
])
param adminAuthentication string

param authClientId string
param authTenantId string

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

resource authentication 'Microsoft.Web/sites/config@2024-04-01' = if (adminAuthentication != 'none') {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: adminAuthentication == 'required'
      // optional: anonymous requests reach the app, which checks X-MS-CLIENT-PRINCIPAL or the
      // function key; required: a browser is sent to sign in, an API client gets 401.
      unauthenticatedClientAction: adminAuthentication == 'required' ? 'RedirectToLoginPage' : 'AllowAnonymous'
      redirectToProvider: 'azureactivedirectory'
      // Health probes and the OAuth flow (protected by signed, single-use state) stay reachable.
      excludedPaths: [
        '/api/health'
        '/api/oauth/authorize'
        '/api/oauth/callback'
      ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
  dependsOn: [
    settings
  ]
}

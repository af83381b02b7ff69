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
      // required: a browser is sent to sign in, automation sends an Entra ID access token;
      // optional: anonymous requests reach the app too. Either way Bunker admits only callers whose
      // X-MS-CLIENT-PRINCIPAL (written here, never taken from the client) has its admin role or group.
      unauthenticatedClientAction: adminAuthentication == 'required' ? 'RedirectToLoginPage' : 'AllowAnonymous'
      redirectToProvider: 'azureactivedirectory'
      // Health probes and the OAuth callback (Entra ID sends the browser there; signed, single-use
      // state protects it) stay reachable. Starting OAuth (/api/oauth/authorize) needs an admin.
      excludedPaths: [
        '/api/health'
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

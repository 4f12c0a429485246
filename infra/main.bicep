// TeamsAlertBot: everything the bot runs on, in one resource group.
//
//   user-assigned managed identity -> reads Key Vault (RBAC), resolves app settings
//   Key Vault (RBAC)               -> bot credential (secret or certificate), Redis connection string
//   Redis (TLS only)               -> bot state
//   App Service (Linux, .NET 10)   -> POST /api/messages, GET /healthz
//   Azure Bot (single tenant)      -> Microsoft Teams channel, messaging endpoint on the web app
//   Log Analytics + App Insights   -> logs and telemetry
//
// Nothing here creates the Entra app registration or its credential: see manifest/README.md,
// and infra/README.md for the two deployment steps.

targetScope = 'resourceGroup'

metadata description = 'TeamsAlertBot: App Service + Azure Bot (single tenant, Teams channel) + Key Vault + Redis + monitoring.'

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

@description('Short name that every resource name starts from: lower-case letters and digits.')
@minLength(3)
@maxLength(12)
param appName string = 'alertbot'

@description('Environment label used in resource names, e.g. dev, test, prod.')
@minLength(2)
@maxLength(8)
param environmentName string = 'dev'

@description('Region of the regional resources. The Azure Bot resource is always global.')
param location string = resourceGroup().location

@description('Application (client) id of the bot\'s Entra app registration, created from manifest/entra-app.json.')
@minLength(36)
@maxLength(36)
param botAppId string

@description('Tenant id of the partner (CSP) tenant that owns the app registration. Defaults to the tenant of this deployment.')
param tenantId string = tenant().tenantId

@description('How the bot proves its identity to Entra ID: a client secret in Key Vault, a certificate in Key Vault, or a federated credential backed by the managed identity (no secret at all).')
@allowed([
  'ClientSecret'
  'Certificate'
  'ManagedIdentityFederation'
])
param botCredentialType string = 'ClientSecret'

@description('Key Vault secret that holds the bot\'s client secret (botCredentialType ClientSecret). Created after deployment: see infra/README.md step 2.')
param botClientSecretName string = 'bot-client-secret'

@description('Key Vault certificate that holds the bot\'s certificate (botCredentialType Certificate).')
param botCertificateName string = 'bot-certificate'

@description('Which Redis service to create: Azure Managed Redis (clustered; the default), or Azure Cache for Redis, which is retiring (see infra/README.md). The bot runs on both: every script and transaction touches keys of one hash slot, and no command newer than Redis 6.0 is used.')
@allowed([
  'AzureCacheForRedis'
  'AzureManagedRedis'
])
param redisService string = 'AzureManagedRedis'

@description('Azure Cache for Redis tier. Standard has a replica and an SLA; Basic does not.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param redisSkuName string = 'Standard'

@description('Azure Cache for Redis size within the tier (C0-C6, P1-P5).')
@minValue(0)
@maxValue(6)
param redisCapacity int = 1

@description('Azure Managed Redis SKU (redisService AzureManagedRedis), e.g. Balanced_B0, Balanced_B1.')
param managedRedisSkuName string = 'Balanced_B0'

@description('Azure Managed Redis clustering policy: OSSCluster (the client talks to each shard; StackExchange.Redis follows the cluster, the fastest) or EnterpriseCluster (one endpoint through a proxy).')
@allowed([
  'OSSCluster'
  'EnterpriseCluster'
])
param managedRedisClusteringPolicy string = 'OSSCluster'

@description('App Service plan SKU. Always On needs Basic (B1) or higher.')
param appServicePlanSku string = 'B1'

@description('Azure Bot pricing tier. Teams is a standard channel, free on F0.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Name of the bot as shown in the Azure portal (Teams shows the name from the app package).')
param botDisplayName string = 'TeamsAlertBot'

@description('Object id of a user, group or service principal that may write secrets and certificates in the Key Vault (the person who runs step 2). Empty: no such role assignment.')
param keyVaultAdminPrincipalId string = ''

@description('Kind of principal in keyVaultAdminPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param keyVaultAdminPrincipalType string = 'User'

@description('Turn on Key Vault purge protection. Recommended for production; it cannot be turned off again, and a deleted vault name stays reserved for the retention period.')
param keyVaultPurgeProtection bool = true

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('More plain app settings the bot reads (setting name -> value), e.g. { \'Triage__Authorization__TriageGroupId\': \'<group object id>\' }. Use ASP.NET Core "__" names.')
param extraAppSettings object = {}

@description('More app settings resolved from Key Vault secrets (setting name -> secret name), e.g. { \'PartnerCenter__RefreshToken\': \'sam-refresh-token\' }.')
param keyVaultReferenceSettings object = {}

@description('Tags put on every resource.')
param tags object = {}

// ---------------------------------------------------------------------------
// Names and constants
// ---------------------------------------------------------------------------

var app = toLower(appName)
var env = toLower(environmentName)
var suffix = uniqueString(subscription().id, resourceGroup().id, app, env)
var allTags = union({ application: 'TeamsAlertBot', environment: env }, tags)

var names = {
  identity: 'id-${app}-${env}'
  keyVault: take('kv-${app}-${suffix}', 24) // 3-24 characters, globally unique
  redis: 'redis-${app}-${env}-${suffix}'
  managedRedis: 'amr-${app}-${env}-${suffix}'
  plan: 'asp-${app}-${env}'
  webApp: 'app-${app}-${env}-${suffix}'
  bot: 'bot-${app}-${env}-${suffix}'
  logAnalytics: 'log-${app}-${env}'
  appInsights: 'appi-${app}-${env}'
}

// Built-in role definition ids (Azure RBAC).
var roles = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  keyVaultCertificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'
  keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985'
}

var redisConnectionSecretName = 'redis-connection-string'

@description('Key Vault secret holding the key that signs the card buttons (base64, at least 32 random bytes; create it before step 2: az keyvault secret set --name triage-action-signing-key --value "$(openssl rand -base64 32)").')
param triageSigningKeySecretName string = 'triage-action-signing-key'
var useManagedRedis = redisService == 'AzureManagedRedis'

// ---------------------------------------------------------------------------
// Identity and secrets
// ---------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
  tags: allTags
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: names.keyVault
  location: location
  tags: allTags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Purge protection can only be switched on; "false" is rejected, so leave it unset instead.
    enablePurgeProtection: keyVaultPurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// The bot reads secrets (and, with a certificate, the certificate's private key through the
// secrets endpoint) as the managed identity; App Service resolves Key Vault references as it too.
resource identityReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource identityReadsCertificates 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (botCredentialType == 'Certificate') {
  name: guid(vault.id, identity.id, roles.keyVaultCertificateUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCertificateUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource adminWritesSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultAdminPrincipalId)) {
  name: guid(vault.id, keyVaultAdminPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: keyVaultAdminPrincipalId
    principalType: keyVaultAdminPrincipalType
  }
}

resource adminWritesCertificates 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultAdminPrincipalId) && botCredentialType == 'Certificate') {
  name: guid(vault.id, keyVaultAdminPrincipalId, roles.keyVaultCertificatesOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.keyVaultCertificatesOfficer
    )
    principalId: keyVaultAdminPrincipalId
    principalType: keyVaultAdminPrincipalType
  }
}

// ---------------------------------------------------------------------------
// Redis: TLS only, TLS 1.2 or later. The connection string (with the access key) goes straight
// into Key Vault; it is never a deployment output.
// ---------------------------------------------------------------------------

resource redis 'Microsoft.Cache/redis@2024-11-01' = if (!useManagedRedis) {
  name: names.redis
  location: location
  tags: allTags
  properties: {
    sku: {
      name: redisSkuName
      family: redisSkuName == 'Premium' ? 'P' : 'C'
      capacity: redisCapacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
    redisConfiguration: {
      // The bot keeps decisions here (first sight of an alert, who triaged it). Evicting them
      // under memory pressure would silently repeat posts; failing writes are visible instead.
      'maxmemory-policy': 'noeviction'
    }
  }
}

resource managedRedis 'Microsoft.Cache/redisEnterprise@2025-04-01' = if (useManagedRedis) {
  name: names.managedRedis
  location: location
  tags: allTags
  sku: {
    name: managedRedisSkuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: 'Enabled'
  }
}

resource managedRedisDatabase 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' = if (useManagedRedis) {
  parent: managedRedis
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted' // TLS only
    port: 10000
    clusteringPolicy: managedRedisClusteringPolicy
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Enabled' // the connection string below carries the access key
  }
}

resource redisConnectionSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: redisConnectionSecretName
  properties: {
    contentType: 'StackExchange.Redis connection string'
    value: useManagedRedis
      ? '${managedRedis!.properties.hostName}:${managedRedisDatabase!.properties.port},password=${managedRedisDatabase!.listKeys().primaryKey},ssl=True,abortConnect=False'
      : '${redis!.properties.hostName}:${redis!.properties.sslPort},password=${redis!.listKeys().primaryKey},ssl=True,abortConnect=False'
  }
}

// ---------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: names.logAnalytics
  location: location
  tags: allTags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.appInsights
  location: location
  tags: allTags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

// ---------------------------------------------------------------------------
// App Service
// ---------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: names.plan
  location: location
  tags: allTags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2025-03-01' = {
  name: names.webApp
  location: location
  tags: allTags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    // Key Vault references are resolved as the user-assigned identity, not a system identity.
    keyVaultReferenceIdentity: identity.id
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      webSocketsEnabled: false
      use32BitWorkerProcess: false
    }
  }
}

// Deployments authenticate with Entra ID (az webapp deploy); no FTP or SCM basic-auth passwords.
resource noFtpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource noScmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: webApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// App settings use ASP.NET Core's "__" form of configuration keys (AzureAd:ClientId -> AzureAd__ClientId).
func keyVaultReference(vaultUri string, secretName string) string =>
  '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

var credentialSettings = botCredentialType == 'ClientSecret'
  ? {
      AzureAd__ClientCredentials__0__SourceType: 'ClientSecret'
      AzureAd__ClientCredentials__0__ClientSecret: keyVaultReference(vault.properties.vaultUri, botClientSecretName)
    }
  : botCredentialType == 'Certificate'
      ? {
          AzureAd__ClientCredentials__0__SourceType: 'KeyVault'
          AzureAd__ClientCredentials__0__KeyVaultUrl: vault.properties.vaultUri
          AzureAd__ClientCredentials__0__KeyVaultCertificateName: botCertificateName
        }
      : {
          AzureAd__ClientCredentials__0__SourceType: 'SignedAssertionFromManagedIdentity'
          AzureAd__ClientCredentials__0__ManagedIdentityClientId: identity.properties.clientId
        }

var baseSettings = {
  ASPNETCORE_ENVIRONMENT: 'Production'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  // Azure.Identity's DefaultAzureCredential picks the user-assigned identity by this id.
  AZURE_CLIENT_ID: identity.properties.clientId
  AzureAd__Instance: environment().authentication.loginEndpoint
  AzureAd__TenantId: tenantId
  AzureAd__ClientId: botAppId
  Bot__AllowAnonymous: 'false'
  Bot__AllowedTenants__0: tenantId
  Redis__ConnectionString: keyVaultReference(vault.properties.vaultUri, redisConnectionSecretName)
  Triage__ActionSigningKey: keyVaultReference(vault.properties.vaultUri, triageSigningKeySecretName)
}

var secretSettings = toObject(
  items(keyVaultReferenceSettings),
  entry => entry.key,
  entry => keyVaultReference(vault.properties.vaultUri, string(entry.value))
)

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union(baseSettings, credentialSettings, extraAppSettings, secretSettings)
  dependsOn: [
    identityReadsSecrets
    redisConnectionSecret
  ]
}

resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceAppLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      { categoryGroup: 'audit', enabled: true }
    ]
  }
}

// ---------------------------------------------------------------------------
// Azure Bot: single tenant (new multi-tenant bots are no longer allowed), Teams channel.
// ---------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: names.bot
  location: 'global'
  tags: allTags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
      acceptedTerms: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}

// ---------------------------------------------------------------------------
// Outputs (no secrets)
// ---------------------------------------------------------------------------

@description('Host name of the web app: BOT_DOMAIN for appPackage/build.sh.')
output botDomain string = webApp.properties.defaultHostName

@description('The messaging endpoint registered on the Azure Bot.')
output messagingEndpoint string = bot.properties.endpoint

output webAppName string = webApp.name
output botName string = bot.name
output keyVaultName string = vault.name
output keyVaultUri string = vault.properties.vaultUri

@description('Client id of the managed identity (AZURE_CLIENT_ID of the web app).')
output managedIdentityClientId string = identity.properties.clientId

@description('Object (principal) id of the managed identity: the subject of the federated credential for botCredentialType ManagedIdentityFederation.')
output managedIdentityPrincipalId string = identity.properties.principalId

output redisHostName string = useManagedRedis ? managedRedis!.properties.hostName : redis!.properties.hostName

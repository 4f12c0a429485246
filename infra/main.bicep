// TeamsAlertBot: everything the bot runs on, in one resource group.
//
//   user-assigned managed identity -> reads Key Vault (RBAC), resolves app settings
//   Key Vault (RBAC)               -> bot credential (secret or certificate), Redis connection string
//   Redis (TLS only)               -> bot state
//   hosting = 'AppService':        App Service (Linux, .NET 10, code deploy) -> POST /api/messages, health check /health/ready
//   hosting = 'ContainerApps':     Azure Container Registry + Container Apps environment + container app
//                                  running the image of `dotnet publish -t:PublishContainer`
//                                  (liveness /health/live, readiness /health/ready, startup /health/live)
//   Azure Bot (single tenant)      -> Microsoft Teams channel, messaging endpoint on the web app
//   Log Analytics + App Insights   -> logs and telemetry
//
// Nothing here creates the Entra app registration or its credential: see manifest/README.md,
// and infra/README.md for the two deployment steps.

targetScope = 'resourceGroup'

metadata description = 'TeamsAlertBot: App Service or Container Apps + Azure Bot (single tenant, Teams channel) + Key Vault + Redis + monitoring.'

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

@description('Where the bot runs: AppService (code deploy to a Linux web app) or ContainerApps (the container image, from this deployment\'s container registry). See infra/README.md, "Hosting".')
@allowed([
  'AppService'
  'ContainerApps'
])
param hosting string = 'AppService'

@description('ContainerApps only: the image to run, e.g. <registry login server>/teamsalertbot:1.0.0. Empty on the first deployment (the registry does not hold the image yet): the registry and environment are created, the container app and the Azure Bot on the next deployment with the image.')
param containerImage string = ''

@description('ContainerApps only: replicas. At least 1: the alert poller and dispatcher run inside the app, so it must not scale to zero.')
@minValue(1)
@maxValue(10)
param containerMinReplicas int = 1

@description('ContainerApps only: most replicas under load (they share the work through Redis).')
@minValue(1)
@maxValue(10)
param containerMaxReplicas int = 3

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
  registry: take('cr${app}${env}${suffix}', 50) // 5-50 letters and digits, globally unique
  containerEnvironment: 'cae-${app}-${env}'
  containerApp: take('ca-${app}-${env}-${suffix}', 32) // at most 32 characters
}

// Built-in role definition ids (Azure RBAC).
var roles = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  keyVaultCertificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'
  keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
}

var redisConnectionSecretName = 'redis-connection-string'

@description('Key Vault secret holding the key that signs the card buttons (base64, at least 32 random bytes; create it before step 2: az keyvault secret set --name triage-action-signing-key --value "$(openssl rand -base64 32)").')
param triageSigningKeySecretName string = 'triage-action-signing-key'
var useManagedRedis = redisService == 'AzureManagedRedis'
var onAppService = hosting == 'AppService'
var onContainerApps = hosting == 'ContainerApps'
var runsContainer = onContainerApps && !empty(containerImage)

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

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = if (onAppService) {
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

resource webApp 'Microsoft.Web/sites@2025-03-01' = if (onAppService) {
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
      // Readiness: Redis, an app token for the connector, fresh alert polls (App Service has one probe).
      healthCheckPath: '/health/ready'
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
resource noFtpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = if (onAppService) {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource noScmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = if (onAppService) {
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

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = if (onAppService) {
  parent: webApp
  name: 'appsettings'
  properties: union(
    baseSettings,
    credentialSettings,
    {
      // Where Partner Center delivers fraud events (the `webhook register` command registers it).
      PartnerCenter__Webhook__PublicUrl: 'https://${webApp!.properties.defaultHostName}/api/partnercenter/webhook'
    },
    extraAppSettings,
    secretSettings
  )
  dependsOn: [
    identityReadsSecrets
    redisConnectionSecret
  ]
}

resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (onAppService) {
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
// Container Apps (hosting = 'ContainerApps'): the image of `dotnet publish -t:PublishContainer`
// (non-root, port 8080), pulled from this deployment's registry as the managed identity. Secrets are
// Key Vault references resolved as the same identity; the probes are the bot's health endpoints.
// ---------------------------------------------------------------------------

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = if (onContainerApps) {
  name: names.registry
  location: location
  tags: allTags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false // pushes and pulls authenticate with Entra ID
    anonymousPullEnabled: false
  }
}

resource identityPullsImages 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (onContainerApps) {
  name: guid(registry.id, identity.id, roles.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource containerEnvironment 'Microsoft.App/managedEnvironments@2025-01-01' = if (onContainerApps) {
  name: names.containerEnvironment
  location: location
  tags: allTags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logAnalytics.properties.customerId
        sharedKey: logAnalytics.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

// Secrets of the container app: name -> Key Vault secret (resolved as the managed identity).
var containerSecretNames = union(
  {
    'redis-connection-string': redisConnectionSecretName
    'triage-action-signing-key': triageSigningKeySecretName
  },
  botCredentialType == 'ClientSecret' ? { 'bot-client-secret': botClientSecretName } : {}
)

var containerSecretSettings = union(
  {
    Redis__ConnectionString: 'redis-connection-string'
    Triage__ActionSigningKey: 'triage-action-signing-key'
  },
  botCredentialType == 'ClientSecret' ? { AzureAd__ClientCredentials__0__ClientSecret: 'bot-client-secret' } : {}
)

// The extra Key Vault settings get container secrets of their own (names: kv-<secret name>, lower case).
var extraSecretNames = toObject(
  items(keyVaultReferenceSettings),
  entry => take('kv-${toLower(string(entry.value))}', 63),
  entry => string(entry.value)
)

var extraSecretSettings = toObject(
  items(keyVaultReferenceSettings),
  entry => entry.key,
  entry => take('kv-${toLower(string(entry.value))}', 63)
)

var containerPlainSettings = union(
  baseSettings,
  credentialSettings,
  {
    ASPNETCORE_HTTP_PORTS: '8080'
    // The app's own host name, known before it exists: <app name>.<environment's default domain>.
    PartnerCenter__Webhook__PublicUrl: onContainerApps
      ? 'https://${names.containerApp}.${containerEnvironment!.properties.defaultDomain}/api/partnercenter/webhook'
      : ''
  },
  extraAppSettings
)

resource containerApp 'Microsoft.App/containerApps@2025-01-01' = if (runsContainer) {
  name: names.containerApp
  location: location
  tags: allTags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    environmentId: containerEnvironment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 8080
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: registry!.properties.loginServer
          identity: identity.id
        }
      ]
      secrets: [
        for secret in items(union(containerSecretNames, extraSecretNames)): {
          name: secret.key
          keyVaultUrl: '${vault.properties.vaultUri}secrets/${secret.value}'
          identity: identity.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'teamsalertbot'
          image: containerImage
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(
            // Plain settings, minus the ones that are secrets here (App Service's Key Vault references).
            map(
              filter(items(containerPlainSettings), entry => !contains(containerSecretSettings, entry.key)),
              entry => { name: entry.key, value: string(entry.value) }
            ),
            map(
              items(union(containerSecretSettings, extraSecretSettings)),
              entry => { name: entry.key, secretRef: entry.value }
            )
          )
          probes: [
            {
              // Restarted only when the process stops answering, never for a dependency's outage.
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: 8080
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              // Out of rotation while Redis, the connector token or the alert polls fail.
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: 8080
              }
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
            }
            {
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: 8080
              }
              periodSeconds: 2
              failureThreshold: 30
            }
          ]
        }
      ]
      scale: {
        minReplicas: containerMinReplicas
        maxReplicas: containerMaxReplicas
      }
    }
  }
  dependsOn: [
    identityPullsImages
    identityReadsSecrets
    redisConnectionSecret
  ]
}

var appHostName = onAppService
  ? webApp!.properties.defaultHostName
  : (runsContainer ? containerApp!.properties.configuration.ingress.fqdn : '')

// ---------------------------------------------------------------------------
// Azure Bot: single tenant (new multi-tenant bots are no longer allowed), Teams channel.
// ---------------------------------------------------------------------------

// With Container Apps it waits for the deployment that runs the image (it needs the app's host name).
resource bot 'Microsoft.BotService/botServices@2022-09-15' = if (onAppService || runsContainer) {
  name: names.bot
  location: 'global'
  tags: allTags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${appHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = if (onAppService || runsContainer) {
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

@description('Host name of the web app or container app: BOT_DOMAIN for appPackage/build.sh (empty until the container app runs).')
output botDomain string = appHostName

@description('The messaging endpoint registered on the Azure Bot (empty until the container app runs).')
output messagingEndpoint string = empty(appHostName) ? '' : 'https://${appHostName}/api/messages'

output webAppName string = onAppService ? webApp.name : ''
output containerAppName string = runsContainer ? containerApp.name : ''

@description('ContainerApps: where to push the image (dotnet publish -t:PublishContainer -p:ContainerRegistry=<this>).')
output containerRegistryLoginServer string = onContainerApps ? registry!.properties.loginServer : ''

output botName string = onAppService || runsContainer ? bot.name : ''
output keyVaultName string = vault.name
output keyVaultUri string = vault.properties.vaultUri

@description('Client id of the managed identity (AZURE_CLIENT_ID of the web app).')
output managedIdentityClientId string = identity.properties.clientId

@description('Object (principal) id of the managed identity: the subject of the federated credential for botCredentialType ManagedIdentityFederation.')
output managedIdentityPrincipalId string = identity.properties.principalId

output redisHostName string = useManagedRedis ? managedRedis!.properties.hostName : redis!.properties.hostName

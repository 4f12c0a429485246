// Example parameters for TeamsAlertBot (no secrets here: the bot credential goes into Key Vault
// after deployment, see README.md step 2).
//
//   export BOT_ID=<application (client) id of the Entra app>            # same as appPackage/build.sh
//   export KEYVAULT_ADMIN_OBJECT_ID=$(az ad signed-in-user show --query id -o tsv)
//   az deployment group create -g rg-alertbot-dev -f main.bicep -p main.bicepparam
using 'main.bicep'

param appName = 'alertbot'
param environmentName = 'dev'
param location = 'japaneast'

// Read from the environment so that no tenant-specific id is committed.
param botAppId = readEnvironmentVariable('BOT_ID')
param keyVaultAdminPrincipalId = readEnvironmentVariable('KEYVAULT_ADMIN_OBJECT_ID', '')
param keyVaultAdminPrincipalType = 'User'

param botCredentialType = 'ClientSecret'
param botClientSecretName = 'bot-client-secret'

param redisService = 'AzureManagedRedis'
param managedRedisSkuName = 'Balanced_B0'
param managedRedisClusteringPolicy = 'OSSCluster'

param appServicePlanSku = 'B1'
param botSku = 'F0'
param botDisplayName = 'TeamsAlertBot (dev)'

// A dev environment is torn down and rebuilt often; keep purge protection for production.
param keyVaultPurgeProtection = false
param logRetentionDays = 30

// Settings the bot's own options read; names must match the option classes in src/.
param extraAppSettings = {}
param keyVaultReferenceSettings = {}

param tags = {
  owner: 'security-operations'
}

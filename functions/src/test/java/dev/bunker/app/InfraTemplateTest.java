package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.bunker.core.model.Signal;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks infra/ (Bicep, parameters), azure.yaml, host.json and local.settings.json.example against
 * the code and against what Flex Consumption and a security review demand. No Bicep compiler runs
 * here, so these tests read the files; see docs/deploy.md for what only a deployment verifies.
 */
class InfraTemplateTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path INFRA = ROOT.resolve("infra");
  private static final BicepText MAIN = BicepText.read(INFRA.resolve("main.bicep"));
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Settings the Functions platform reads; main.bicep may set these besides Bunker's own. */
  private static final Set<String> PLATFORM_SETTINGS = Set.of(
      "AzureWebJobsStorage__credential",
      "AzureWebJobsStorage__clientId",
      "APPLICATIONINSIGHTS_CONNECTION_STRING",
      "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
      "languageWorkers__java__arguments",
      "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET");

  /**
   * App settings Flex Consumption removed or moved into functionAppConfig
   * (learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations).
   */
  private static final Set<String> FLEX_FORBIDDEN_SETTINGS = Set.of(
      "FUNCTIONS_WORKER_RUNTIME",
      "FUNCTIONS_WORKER_RUNTIME_VERSION",
      "FUNCTIONS_EXTENSION_VERSION",
      "FUNCTIONS_MAX_HTTP_CONCURRENCY",
      "FUNCTIONS_WORKER_PROCESS_COUNT",
      "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
      "FUNCTION_APP_EDIT_MODE",
      "WEBSITE_RUN_FROM_PACKAGE",
      "WEBSITE_CONTENTSHARE",
      "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
      "WEBSITE_CONTENTOVERVNET",
      "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
      "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
      "WEBSITE_NODE_DEFAULT_VERSION",
      "WEBSITE_VNET_ROUTE_ALL",
      "WEBSITE_DNS_SERVER",
      "WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED",
      "WEBSITE_TIME_ZONE",
      "SCM_DO_BUILD_DURING_DEPLOYMENT",
      "ENABLE_ORYX_BUILD",
      "AzureWebJobsDashboard",
      "APPINSIGHTS_INSTRUMENTATIONKEY");

  /** Site properties Flex Consumption rejects or ignores (the runtime and scale moved). */
  private static final Set<String> FLEX_FORBIDDEN_SITE_PROPERTIES = Set.of(
      "linuxFxVersion", "javaVersion", "functionAppScaleLimit", "preWarmedInstanceCount",
      "alwaysOn", "use32BitWorkerProcess", "netFrameworkVersion", "powerShellVersion",
      "containerSize", "dailyMemoryTimeQuota", "minimumElasticInstanceCount");

  /** Built-in roles Bunker may assign: role definition id to role name. */
  private static final Map<String, String> KNOWN_ROLES = Map.of(
      "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner",
      "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor",
      "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader",
      "db58b8e5-c6ad-4a2a-8342-4190687cbf4a", "Storage Blob Delegator",
      "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor",
      "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor",
      "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer",
      "3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher",
      "e147488a-f6f5-4113-8e2d-b22465e65bf6", "Key Vault Crypto Service Encryption User");

  /** Broad roles that must never appear: they manage resources or grant access to others. */
  private static final Map<String, String> BROAD_ROLES = Map.of(
      "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
      "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
      "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator",
      "17d1049b-9a84-46fb-8f53-869881c3d3ab", "Storage Account Contributor",
      "81a9662b-bebf-436f-a333-f67b29880f12", "Storage Account Key Operator Service Role",
      "00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator");

  /** The catalog's tables (docs/design.md §9). */
  private static final Set<String> CATALOG_TABLES = Set.of(
      "organizations", "credentials", "runs", "results", "repositories", "snapshots", "restores", "metadatarestores",
      "notifications", "notificationevents");

  private static final Pattern GUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /**
   * The Java worker starts with C1 only; the app setting that follows its defaults turns C2 on, and
   * the app keeps C2 to the digests (HashingCompilation), with the serial collector whatever the
   * instance size. A local run starts the same way.
   */
  @Test
  void theWorkerJvmRunsWithC2ForTheDigestsAndTheSerialCollectorInAzureAndLocally() throws IOException {
    assertThat(MAIN.variable("appSettings"))
        .contains("languageWorkers__java__arguments: '-XX:TieredStopAtLevel=4 -XX:+UseSerialGC'");
    assertThat(JSON.readTree(ROOT.resolve("local.settings.json.example").toFile()).get("Values")
        .get("languageWorkers__java__arguments").asText()).isEqualTo("-XX:TieredStopAtLevel=4 -XX:+UseSerialGC");
  }

  @Test
  void everySettingTheAppReadsInAzureIsSetByMainBicep() {
    Set<String> required = Arrays.stream(Setting.values())
        .filter(s -> s.scope() != Setting.Scope.LOCAL_ONLY)
        .map(Setting::key)
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(appSettings())
        .as("set each in var appSettings of infra/main.bicep, or give it Scope.LOCAL_ONLY in Setting.java"
            + " if Azure reaches the same thing another way")
        .containsAll(required);
  }

  @Test
  void localOnlyConnectionStringsNeverReachAzure() {
    Set<String> localOnly = Arrays.stream(Setting.values())
        .filter(s -> s.scope() == Setting.Scope.LOCAL_ONLY)
        .map(Setting::key)
        .collect(Collectors.toSet());

    assertThat(localOnly).as("connection strings are local only").isNotEmpty();
    assertThat(appSettings()).doesNotContainAnyElementsOf(localOnly);
    for (BicepText file : bicepFiles()) {
      for (String key : localOnly) {
        assertThat(file.code).as(file.path + " must not set " + key)
            .doesNotContainPattern("(?m)^\\s*'?" + Pattern.quote(key) + "'?\\s*:")
            .doesNotContain("name: '" + key + "'");
      }
    }
  }

  @Test
  void mainBicepSetsNoSettingTheAppDoesNotRead() {
    Set<String> known = Arrays.stream(Setting.values()).map(Setting::key)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    known.addAll(PLATFORM_SETTINGS);

    assertThat(known).containsAll(appSettings());
  }

  @Test
  void localSettingsExampleListsEverySettingAsValidJson() throws IOException {
    JsonNode values = JSON.readTree(ROOT.resolve("local.settings.json.example").toFile()).get("Values");
    Set<String> listed = new TreeSet<>();
    values.fieldNames().forEachRemaining(listed::add);

    for (Setting setting : Setting.values()) {
      assertThat(listed)
          .as("local.settings.json.example lists " + setting.key() + " (empty string if no local default)")
          .contains(setting.key());
      assertThat(values.get(setting.key()).isTextual()).as(setting.key() + " is a string").isTrue();
    }
    Set<String> known = Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());
    // The local Functions host needs the worker runtime (Azure takes it from functionAppConfig), and
    // the worker's JVM options as Azure has them.
    assertThat(listed).allMatch(key -> known.contains(key) || key.equals("FUNCTIONS_WORKER_RUNTIME")
        || key.equals("languageWorkers__java__arguments"), "a setting the app or the worker reads");
  }

  @Test
  void noAppSettingThatFlexConsumptionForbids() {
    assertThat(appSettings()).doesNotContainAnyElementsOf(FLEX_FORBIDDEN_SETTINGS);
    for (BicepText file : bicepFiles()) {
      for (String setting : FLEX_FORBIDDEN_SETTINGS) {
        assertThat(file.code).as(file.path + " sets " + setting).doesNotContain(setting);
      }
      for (String property : FLEX_FORBIDDEN_SITE_PROPERTIES) {
        assertThat(file.code).as(file.path + " sets " + property)
            .doesNotContainPattern("(?m)^\\s*" + property + "\\s*:");
      }
    }
  }

  @Test
  void functionAppRunsJava17OnFlexConsumptionWithIdentityDeployment() {
    BicepText app = module("functionApp");
    BicepText.Resource plan = single(app.resources("Microsoft.Web/serverfarms"));
    assertThat(plan.body()).contains("tier: 'FlexConsumption'", "name: 'FC1'", "reserved: true");

    BicepText.Resource site = single(app.resources("Microsoft.Web/sites"));
    assertThat(site.body()).contains(
        "kind: 'functionapp,linux'",
        "httpsOnly: true",
        "minTlsVersion: '1.2'",
        "type: 'blobContainer'",
        "type: 'UserAssignedIdentity'",
        "name: 'java'",
        "version: '17'",
        "maximumInstanceCount: maximumInstanceCount",
        "instanceMemoryMB: instanceMemoryMB");
    assertThat(site.body()).contains("functionAppConfig: {", "virtualNetworkSubnetId:");
    assertThat(app.code).as("no cross-origin access to the admin API").doesNotContain("allowedOrigins", "cors");
    assertThat(app.resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies"))
        .hasSize(2)
        .allSatisfy(policy -> assertThat(policy.body()).contains("allow: false"));
  }

  @Test
  void scaleParametersStayWithinFlexConsumptionLimits() {
    Map<String, BicepText.Param> params = MAIN.params();
    assertThat(params.get("maximumInstanceCount").decorators())
        .contains("@minValue(40)", "@maxValue(1000)");
    assertThat(params.get("instanceMemoryMB").decorators().replaceAll("\\s+", " "))
        .contains("@allowed([ 512 2048 4096 ])");
  }

  @Test
  void everyRoleAssignmentUsesAKnownBuiltInRoleNamedInItsComment() {
    List<BicepText.Resource> assignments = new ArrayList<>();
    for (BicepText file : bicepFiles()) {
      for (BicepText.Resource assignment : file.resources("Microsoft.Authorization/roleAssignments")) {
        assignments.add(assignment);
        Matcher role = Pattern.compile(
            "roleDefinitionId:\\s*subscriptionResourceId\\('Microsoft\\.Authorization/roleDefinitions',\\s*(\\w+)\\)\\s*//\\s*(.+)")
            .matcher(assignment.body());
        assertThat(role.find()).as(assignment.symbol() + " names its role by a variable and a comment").isTrue();
        String id = roleVariable(file, role.group(1));
        assertThat(KNOWN_ROLES).as(assignment.symbol() + " uses a known role").containsKey(id);
        assertThat(role.group(2).trim()).as(assignment.symbol() + " comment").isEqualTo(KNOWN_ROLES.get(id));
        if (assignment.body().contains("principalId: principalId")) {
          // A managed identity: the type avoids a race with Entra ID replication on first deployment.
          assertThat(assignment.body()).as(assignment.symbol()).contains("principalType: 'ServicePrincipal'");
        }
      }
      Matcher ids = GUID.matcher(file.text);
      while (ids.find()) {
        String line = file.text.substring(file.text.lastIndexOf('\n', ids.start()) + 1,
            file.text.indexOf('\n', ids.end()));
        assertThat(KNOWN_ROLES).as("role id in " + file.path + ": " + line).containsKey(ids.group());
        assertThat(line).as("role id is commented with its name").endsWith("// " + KNOWN_ROLES.get(ids.group()));
      }
    }
    assertThat(assignments).as("the managed identity's least-privilege roles").hasSizeGreaterThanOrEqualTo(7);
  }

  @Test
  void managedIdentityNeverGetsBroadRolesOrOwnsTheBackups() {
    for (BicepText file : bicepFiles()) {
      assertThat(file.text).doesNotContain(BROAD_ROLES.keySet().toArray(String[]::new));
      assertThat(file.text).doesNotContain(BROAD_ROLES.values().stream()
          .map(name -> "// " + name + "\n").toArray(String[]::new));
    }
    BicepText roles = module("roles");
    for (BicepText.Resource assignment : roles.resources("Microsoft.Authorization/roleAssignments")) {
      if (assignment.body().contains("// Storage Blob Data Owner")) {
        assertThat(assignment.body()).as("blob data owner only on the app's storage").contains("scope: appStorage");
      }
      if (assignment.body().contains("// Storage Blob Data Contributor")) {
        assertThat(assignment.body()).as("backup writes only to the backups container")
            .contains("scope: backupContainer");
      }
    }
  }

  @Test
  void noKeysOrSecretsInTemplatesSettingsOrOutputs() {
    Pattern leaks = Pattern.compile(
        "(?i)listKeys|listAccountSas|listServiceSas|AccountKey=|SharedAccessSignature|DefaultEndpointsProtocol|primaryKey|listSecrets");
    for (BicepText file : bicepFiles()) {
      assertThat(file.code).as(file.path.toString()).doesNotContainPattern(leaks);
      for (Map.Entry<String, String> output : file.outputs().entrySet()) {
        assertThat(output.getKey() + " " + output.getValue()).as("output " + output.getKey() + " of " + file.path)
            .doesNotContainPattern("(?i)secret|password|accountkey|instrumentationkey|sas\\b");
      }
      assertThat(file.code).as("no @secure() parameter in " + file.path).doesNotContain("@secure()");
    }
    assertThat(MAIN.outputs().keySet()).as("deployment outputs")
        .noneMatch(name -> name.toLowerCase().contains("connectionstring"));
    assertThat(MAIN.variable("appSettings")).doesNotContainPattern(leaks);
  }

  @Test
  void storageAccountsAcceptNoAnonymousNoSharedKeyNoOldTls() {
    List<BicepText.Resource> accounts = bicepFiles().stream()
        .flatMap(f -> f.resources("Microsoft.Storage/storageAccounts").stream())
        .filter(r -> !r.existing())
        .toList();

    assertThat(accounts).hasSize(2).allSatisfy(account -> assertThat(account.body()).contains(
        "allowBlobPublicAccess: false",
        "minimumTlsVersion: 'TLS1_2'",
        "supportsHttpsTrafficOnly: true",
        "allowSharedKeyAccess: false",
        "defaultToOAuthAuthentication: true",
        "allowCrossTenantReplication: false"));
    assertThat(bicepFiles().stream()
        .flatMap(f -> f.resources("Microsoft.Storage/storageAccounts/blobServices/containers").stream())
        .filter(r -> !r.existing()))
        .allSatisfy(container -> assertThat(container.body()).contains("publicAccess: 'None'"));
  }

  @Test
  void backupAccountKeepsHistoryAndTiersOldPacks() {
    BicepText backup = module("backupStorage");
    BicepText.Resource blobService = single(backup.resources("Microsoft.Storage/storageAccounts/blobServices"));
    assertThat(blobService.body().replaceAll("\\s+", " ")).contains(
        "isVersioningEnabled: true",
        "deleteRetentionPolicy: { enabled: true",
        "containerDeleteRetentionPolicy: { enabled: true");
    assertThat(single(backup.resources("Microsoft.Storage/storageAccounts")).body())
        .contains("immutableStorageWithVersioning:", "immutabilityPeriodSinceCreationInDays: immutabilityPeriodDays");
    assertThat(backup.code).contains("'${containerName}/orgs/'", "tierToCool:", "tierToCold:");
    assertThat(single(backup.resources("Microsoft.Authorization/locks")).body()).contains("level: 'CanNotDelete'");
    assertThat(MAIN.params()).containsKeys("immutabilityPeriodDays", "allowedIpRanges", "functionSubnetId",
        "privateEndpointSubnetId");
  }

  @Test
  void keyVaultAuthorizesByRbacAndCannotBePurged() {
    BicepText.Resource vault = single(module("keyVault").resources("Microsoft.KeyVault/vaults"));
    assertThat(vault.body()).contains(
        "enableRbacAuthorization: true",
        "enableSoftDelete: true",
        "enablePurgeProtection: true")
        .doesNotContain("accessPolicies");
  }

  @Test
  void everySignalTheCodeEmitsHasAnAlertRuleThatMailsTheActionGroup() {
    BicepText alerts = module("alerts");
    List<String> signalsInBicep = Pattern.compile("name: '(\\w+)'").matcher(alerts.variable("signals")).results()
        .map(match -> match.group(1)).toList();
    assertThat(signalsInBicep).as("alerts.bicep's signals are exactly Signal's")
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(Signal.values()).map(Signal::eventName).toList());

    BicepText.Resource rules = single(alerts.resources("Microsoft.Insights/scheduledQueryRules"));
    assertThat(alerts.code).contains("= [for signal in signals: {");
    assertThat(rules.body().replaceAll("\\s+", " ")).contains(
        "query: 'traces | where message has \"${signal.name}\"'",
        "timeAggregation: 'Count'", "operator: 'GreaterThan'", "threshold: 0",
        "scopes: [ appInsights.id ]",
        "actionGroups: empty(emailAddresses) ? [] : [ actionGroup.id ]");
    assertThat(single(alerts.resources("Microsoft.Insights/actionGroups")).body()).contains(
        "emailReceivers: [for (address, i) in emailAddresses:", "emailAddress: address", "location: 'global'");
    assertThat(single(MAIN.modules().stream().filter(m -> m.symbol().equals("alerts")).toList()).body())
        .contains("emailAddresses: alertEmailAddresses", "appInsightsName: monitoring.outputs.appInsightsName");
    assertThat(MAIN.params().get("alertEmailAddresses").type()).isEqualTo("array");
  }

  @Test
  void signalNamesAreSingleTermsSoKqlHasFindsThem() {
    assertThat(Arrays.stream(Signal.values()).map(Signal::eventName))
        .doesNotHaveDuplicates().allMatch(name -> name.matches("Bunker[A-Z][A-Za-z]+"));
  }

  @Test
  void customerManagedKeyIsOptionalRotatesAndOnlyItsOwnIdentityMayUseIt() {
    assertThat(MAIN.code).contains("param customerManagedKey bool = false",
        "module backupEncryptionKey 'modules/backupEncryptionKey.bicep' = if (customerManagedKey)",
        "encryptionIdentityId: customerManagedKey ? backupEncryptionKey.outputs.identityId : ''");
    BicepText key = module("backupEncryptionKey");
    String keyBody = single(key.resources("Microsoft.KeyVault/vaults/keys")).body().replaceAll("\\s+", " ");
    assertThat(keyBody).contains("kty: 'RSA'", "rotationPolicy:", "timeAfterCreate: rotateAfter",
        "type: 'rotate'", "expiryTime: expireAfter");
    BicepText.Resource keyUser = single(key.resources("Microsoft.Authorization/roleAssignments"));
    assertThat(keyUser.body()).contains("scope: key", "// Key Vault Crypto Service Encryption User",
        "principalId: identity.properties.principalId");
    assertThat(module("roles").code).as("the app's identity never gets the key").doesNotContain("e147488a");

    String account = single(module("backupStorage").resources("Microsoft.Storage/storageAccounts")).body()
        .replaceAll("\\s+", " ");
    assertThat(account).contains("keySource: 'Microsoft.Keyvault'", "userAssignedIdentity: encryptionIdentityId",
        "keyvaulturi: encryptionKeyVaultUri", "keyname: encryptionKeyName")
        .as("no key version: the account follows the key's rotation").doesNotContain("keyversion");
    // Azure Storage requires soft delete and purge protection on a vault holding its key.
    assertThat(single(module("keyVault").resources("Microsoft.KeyVault/vaults")).body())
        .contains("enableSoftDelete: true", "enablePurgeProtection: true", "bypass: 'AzureServices'");
  }

  @Test
  void aSecondCopyInAnotherRegionIsAGeoRedundantSkuOfTheBackupAccount() throws IOException {
    String allowed = MAIN.params().get("backupStorageSku").decorators();
    assertThat(allowed).contains("'Standard_GRS'", "'Standard_GZRS'", "'Standard_RAGRS'", "'Standard_RAGZRS'");
    String chosen = JSON.readTree(INFRA.resolve("main.parameters.json").toFile())
        .get("parameters").get("backupStorageSku").get("value").asText();
    assertThat(allowed).contains("'" + chosen + "'");
    assertThat(single(MAIN.modules().stream().filter(m -> m.symbol().equals("backupStorage")).toList()).body())
        .contains("skuName: backupStorageSku");
  }

  @Test
  void telemetryAcceptsOnlyEntraIdAuthentication() {
    assertThat(single(module("monitoring").resources("Microsoft.Insights/components")).body())
        .contains("DisableLocalAuth: true");
    assertThat(MAIN.variable("appSettings")).contains("Authorization=AAD");
  }

  @Test
  void queuesTablesAndContainerMatchTheApp() throws IOException {
    Set<String> queues = stringsIn(MAIN.variable("queueNames"));
    for (String queue : queueNamesInCode()) {
      // a poison queue's own trigger has no poison queue of its own
      assertThat(queues).as("main.bicep creates the queue the code uses")
          .contains(queue.endsWith("-poison") ? new String[] {queue} : new String[] {queue, queue + "-poison"});
    }
    assertThat(queues).contains("discover", "backup-repo", "restore");
    queues.stream().filter(q -> !q.endsWith("-poison"))
        .forEach(q -> assertThat(queues).as("poison queue of " + q).contains(q + "-poison"));

    assertThat(stringsIn(MAIN.variable("tableNames"))).containsExactlyInAnyOrderElementsOf(CATALOG_TABLES);

    JsonNode values = JSON.readTree(ROOT.resolve("local.settings.json.example").toFile()).get("Values");
    assertThat(MAIN.code)
        .contains("param backupContainerName string = '" + values.get("BACKUP_CONTAINER").asText() + "'");
  }

  @Test
  void parametersFileMatchesMainBicep() throws IOException {
    JsonNode parameters = JSON.readTree(INFRA.resolve("main.parameters.json").toFile()).get("parameters");
    Set<String> inFile = new TreeSet<>();
    parameters.fieldNames().forEachRemaining(inFile::add);
    Map<String, BicepText.Param> declared = MAIN.params();

    assertThat(declared.keySet()).containsAll(inFile);
    declared.values().stream().filter(p -> !p.hasDefault())
        .forEach(p -> assertThat(inFile).as("parameters file gives " + p.name()).contains(p.name()));
    for (String name : inFile) {
      JsonNode value = parameters.get(name).get("value");
      String type = declared.get(name).type();
      assertThat(switch (type) {
        case "string" -> value.isTextual();
        case "int" -> value.isInt();
        case "bool" -> value.isBoolean();
        case "array" -> value.isArray();
        case "object" -> value.isObject();
        default -> false;
      }).as(name + " is a " + type).isTrue();
    }
  }

  @Test
  void modulesReceiveExactlyTheParametersTheyDeclareAndOutputWhatIsUsed() {
    for (BicepText.Module module : MAIN.modules()) {
      BicepText target = BicepText.read(INFRA.resolve(module.path()));
      Map<String, BicepText.Param> declared = target.params();
      assertThat(declared.keySet()).as(module.symbol() + " declares what main.bicep passes")
          .containsAll(module.paramNames());
      declared.values().stream().filter(p -> !p.hasDefault()).forEach(
          p -> assertThat(module.paramNames()).as(module.symbol() + " is given " + p.name()).contains(p.name()));

      Matcher used = Pattern.compile("\\b" + module.symbol() + "\\.outputs\\.(\\w+)").matcher(MAIN.code);
      while (used.find()) {
        assertThat(target.outputs()).as(module.path() + " outputs " + used.group(1)).containsKey(used.group(1));
      }
    }
    for (BicepText file : bicepFiles()) {
      for (String param : file.params().keySet()) {
        assertThat(Pattern.compile("\\b" + param + "\\b").matcher(file.code).results().count())
            .as(file.path + " uses param " + param).isGreaterThan(1);
      }
    }
    Set<String> referenced = MAIN.modules().stream().map(m -> INFRA.resolve(m.path()).normalize().toString())
        .collect(Collectors.toSet());
    assertThat(bicepFiles()).filteredOn(f -> !f.path.equals(MAIN.path))
        .allSatisfy(f -> assertThat(referenced).as("main.bicep uses " + f.path).contains(f.path.toString()));
  }

  @Test
  void azureYamlDeploysThePackageTheBuildProduces() throws IOException {
    String yaml = Files.readString(ROOT.resolve("azure.yaml"));
    String pom = Files.readString(ROOT.resolve("functions/pom.xml"));
    Matcher appName = Pattern.compile("<functionAppName>([^<]+)</functionAppName>").matcher(pom);
    assertThat(appName.find()).isTrue();
    assertThat(pom).contains("<appName>${functionAppName}</appName>", "<goal>package</goal>");

    assertThat(yaml).containsPattern("(?m)^  functions:$")
        .containsPattern("(?m)^    language: java$")
        .containsPattern("(?m)^    host: function$")
        .containsPattern("(?m)^    project: \\.$")
        .containsPattern("(?m)^    dist: functions/target/azure-functions/" + Pattern.quote(appName.group(1)) + "$");
    assertThat(module("functionApp").code).contains("param serviceName string = 'functions'",
        "'azd-service-name': serviceName");
  }

  @Test
  void hostJsonFitsFlexConsumption() throws IOException {
    JsonNode host = JSON.readTree(ROOT.resolve("host.json").toFile());
    assertThat(host.get("version").asText()).isEqualTo("2.0");
    assertThat(host.at("/extensionBundle/version").asText()).startsWith("[4.");
    // Flex Consumption: 30 minutes by default, unbounded at most; HTTP answers are cut at 230 s anyway.
    Duration timeout = Duration.ofNanos(LocalTime.parse(host.get("functionTimeout").asText()).toNanoOfDay());
    assertThat(timeout).isBetween(Duration.ofMinutes(5), Duration.ofHours(4));
    assertThat(host.at("/extensions/queues/maxDequeueCount").asInt()).isPositive();
  }

  @Test
  void adminApiIsBehindRequiredAuthenticationWithAnAppRegistrationAndKeepsTheOAuthCallbackReachable() {
    BicepText settings = module("functionAppSettings");
    BicepText.Resource auth = settings.resources("Microsoft.Web/sites/config").stream()
        .filter(r -> r.body().contains("name: 'authsettingsV2'")).findFirst().orElseThrow();
    assertThat(auth.body()).contains("'/api/oauth/callback'", "'/api/health'", "requireHttps: true")
        .as("starting OAuth needs a signed-in admin").doesNotContain("'/api/oauth/authorize'");
    assertThat(settings.code).contains("= if (adminAuthentication != 'none')");
    assertThat(MAIN.code).contains(
        "param adminAuthentication string = empty(adminAuthClientId) && empty(oauthClientId) ? 'none' : 'required'");
    assertThat(MAIN.variable("appSettings")).as("Bunker checks admins in Azure; open access is local only")
        .contains("ADMIN_ACCESS: 'enforced'").doesNotContain("'open'");
  }

  private static Set<String> appSettings() {
    return BicepText.keysIn(MAIN.variable("appSettings"));
  }

  private static List<BicepText> bicepFiles() {
    try (Stream<Path> files = Files.walk(INFRA)) {
      return files.filter(p -> p.toString().endsWith(".bicep")).sorted().map(BicepText::read).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static BicepText module(String symbol) {
    return MAIN.modules().stream().filter(m -> m.symbol().equals(symbol)).findFirst()
        .map(m -> BicepText.read(INFRA.resolve(m.path())))
        .orElseThrow(() -> new AssertionError("main.bicep has no module " + symbol));
  }

  private static String roleVariable(BicepText file, String variable) {
    Matcher m = Pattern.compile("(?m)^var\\s+" + variable + "\\s*=\\s*'(" + GUID.pattern() + ")'").matcher(file.text);
    assertThat(m.find()).as(file.path + " declares role id " + variable).isTrue();
    return m.group(1);
  }

  private static <T> T single(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static Set<String> stringsIn(String expression) {
    Set<String> strings = new LinkedHashSet<>();
    Matcher m = Pattern.compile("'([^'$]+)'").matcher(expression);
    while (m.find()) {
      strings.add(m.group(1));
    }
    return strings;
  }

  /** Bindings use the host's storage connection, which main.bicep sets up by identity. */
  private static void assertHostStorage(Class<?> type, String connection) {
    assertThat(connection).as("queue connection in " + type.getName()).isIn("", "AzureWebJobsStorage");
  }

  /** Queue names the compiled functions trigger on or write to (their binding annotations). */
  private static Set<String> queueNamesInCode() throws IOException {
    Path classes = ROOT.resolve("functions/target/classes");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String className = classes.relativize(file).toString().replace(".class", "").replace('/', '.');
        Class<?> type;
        try {
          type = Class.forName(className, false, InfraTemplateTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
        for (Method method : type.getDeclaredMethods()) {
          for (Annotation[] annotations : method.getParameterAnnotations()) {
            for (Annotation annotation : annotations) {
              if (annotation instanceof QueueTrigger trigger) {
                names.add(trigger.queueName());
                assertHostStorage(type, trigger.connection());
              } else if (annotation instanceof QueueOutput output) {
                names.add(output.queueName());
                assertHostStorage(type, output.connection());
              }
            }
          }
        }
      }
    }
    return names;
  }

}

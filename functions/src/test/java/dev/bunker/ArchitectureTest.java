package dev.bunker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The arrows point inward: triggers and adapters know the domain, the domain knows neither. */
@AnalyzeClasses(packages = "dev.bunker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule domainKnowsNoAzureNorFunctionsNorJson = noClasses()
      .that().resideInAPackage("dev.bunker.core..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "com.azure..", "com.microsoft.azure.functions..", "com.fasterxml.jackson..",
          "dev.bunker.azure..", "dev.bunker.functions..", "dev.bunker.app..", "dev.bunker.json..",
          "dev.bunker.ado..");

  /** Inside the domain too: the model knows no ports nor services; ports know the model only. */
  @ArchTest
  static final ArchRule theModelKnowsNoPortsNorServices = noClasses()
      .that().resideInAPackage("dev.bunker.core.model..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "dev.bunker.core", "dev.bunker.core.port..", "dev.bunker.core.organization..", "dev.bunker.core.run..",
          "dev.bunker.core.restore..", "dev.bunker.core.retention..", "dev.bunker.core.oauth..");

  @ArchTest
  static final ArchRule portsKnowNoServices = noClasses()
      .that().resideInAPackage("dev.bunker.core.port..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "dev.bunker.core", "dev.bunker.core.organization..", "dev.bunker.core.run..", "dev.bunker.core.restore..",
          "dev.bunker.core.retention..", "dev.bunker.core.oauth..");

  /** Every package can be read, and changed, after the ones it uses: no package needs one that needs it. */
  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("dev.bunker.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule metadataSnapshotsKnowNoAzureNorAzureDevOps = noClasses()
      .that().resideInAPackage("dev.bunker.metadata..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "com.azure..", "com.microsoft.azure.functions..", "dev.bunker.azure..", "dev.bunker.functions..",
          "dev.bunker.app..", "dev.bunker.ado..");

  @ArchTest
  static final ArchRule adaptersKnowNoTriggersNorWiring = noClasses()
      .that().resideInAPackage("dev.bunker.azure..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "com.microsoft.azure.functions..", "dev.bunker.functions..", "dev.bunker.app..");

  @ArchTest
  static final ArchRule webhooksKnowNoAzureNorTriggersNorWiring = noClasses()
      .that().resideInAPackage("dev.bunker.webhook..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "com.azure..", "com.microsoft.azure.functions..", "dev.bunker.azure..", "dev.bunker.functions..",
          "dev.bunker.app..");

  @ArchTest
  static final ArchRule triggersDoNotBuildAdapters = noClasses()
      .that().resideInAPackage("dev.bunker.functions..")
      .should().dependOnClassesThat().resideInAnyPackage("com.azure..", "dev.bunker.azure..");

  @ArchTest
  static final ArchRule onlyTheWiringAndTriggersSeeTheWiring = noClasses()
      .that().resideOutsideOfPackages("dev.bunker.app..", "dev.bunker.functions..")
      .should().dependOnClassesThat().resideInAPackage("dev.bunker.app..");
}

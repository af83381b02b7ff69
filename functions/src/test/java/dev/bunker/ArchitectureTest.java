package dev.bunker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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

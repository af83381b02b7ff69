package dev.bunker.ado.client;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How the api-version an organization speaks ({@link AzureDevOpsClient#API_VERSIONS}) becomes the
 * version a preview resource wants, and how versions compare. Exporters and restorers call the
 * same resources, so they ask here.
 */
public final class ApiVersions {
  /** The comments API is a preview API: its resource version for each api-version. */
  private static final Map<String, String> COMMENTS_VERSION = Map.of(
      "7.1", "7.1-preview.4", "7.0", "7.0-preview.3", "6.0", "6.0-preview.3", "5.0", "5.0-preview.2");
  /** The dashboards API is a preview API: its resource version for each api-version. */
  private static final Map<String, String> DASHBOARDS_VERSION = Map.of(
      "7.1", "7.1-preview.3", "7.0", "7.0-preview.3", "6.0", "6.0-preview.3", "5.0", "5.0-preview.2");

  private ApiVersions() {}

  /**
   * The api-version of a pipelines API that was a preview before 7.0 (Azure DevOps Server 2019
   * and 2020): {@code 6.0} becomes {@code 6.0-preview.<resourceVersion>}.
   */
  public static UnaryOperator<String> previewBefore7(int resourceVersion) {
    return version -> version.startsWith("7.") ? version : version + "-preview." + resourceVersion;
  }

  public static String commentsVersion(String apiVersion) {
    return COMMENTS_VERSION.getOrDefault(apiVersion, apiVersion + "-preview");
  }

  /**
   * Whether {@code apiVersion} has the Comments API (wit/5.1 Comments_Add, and Comments_Get
   * Comments paged by continuation token). Before it (Server 2019, 5.0) comments are the work
   * item's {@code System.History} revisions: wit/5.0 "Get Comments" lists them from a revision on,
   * and a comment is added by writing {@code System.History}.
   */
  public static boolean hasCommentsApi(String apiVersion) {
    return !apiVersion.equals("5.0");
  }

  public static String dashboardsVersion(String apiVersion) {
    return DASHBOARDS_VERSION.getOrDefault(apiVersion, apiVersion + "-preview");
  }

  /** The test plan API was a preview API before Azure DevOps Server 2022 (7.0). */
  public static String testPlanVersion(String apiVersion) {
    return apiVersion.equals("5.0") || apiVersion.equals("6.0") ? apiVersion + "-preview.1" : apiVersion;
  }

  /** A suite's test cases were the second preview of their resource before 7.0 (testPlan/5.0, 6.0: -preview.2). */
  public static String testCaseVersion(String apiVersion) {
    return apiVersion.equals("5.0") || apiVersion.equals("6.0") ? apiVersion + "-preview.2" : apiVersion;
  }

  /** Compares two {@code major.minor} api-versions. */
  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }
}

package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {

  private final AllowList allowList = AllowList.parse(
      " https://ado.contoso.local/tfs/ , http://127.0.0.1:8081/");

  @Test
  void allowsAzureDevOpsServicesOverHttpsOnly() {
    assertThat(allowList.allows(URI.create("https://dev.azure.com/contoso/_apis/projects"))).isTrue();
    assertThat(allowList.allows(URI.create("https://contoso.visualstudio.com/_apis/projects"))).isTrue();
    assertThat(allowList.allows(URI.create("http://dev.azure.com/contoso"))).isFalse();
    assertThat(allowList.allows(URI.create("https://dev.azure.com:8443/contoso"))).isFalse();
    assertThat(allowList.allows(URI.create("https://visualstudio.com/x"))).isFalse();
    assertThat(allowList.allows(URI.create("https://evil.dev.azure.com.example/x"))).isFalse();
  }

  @Test
  void allowsTheReleaseManagementHostsAndNoOtherSubdomain() {
    assertThat(allowList.allows(URI.create("https://vsrm.dev.azure.com/contoso/Web/_apis/release/definitions")))
        .isTrue();
    assertThat(allowList.allows(URI.create("https://contoso.vsrm.visualstudio.com/Web/_apis/release/definitions")))
        .isTrue();
    assertThat(allowList.allows(URI.create("http://vsrm.dev.azure.com/contoso"))).isFalse();
    assertThat(allowList.allows(URI.create("https://evil.dev.azure.com/contoso"))).isFalse();
    assertThat(allowList.allows(URI.create("https://contoso.evil.visualstudio.com/x"))).isFalse();
    assertThat(allowList.allows(URI.create("https://a.contoso.vsrm.visualstudio.com/x"))).isFalse();
    assertThat(allowList.allows(URI.create("https://vsrm.visualstudio.com/x"))).isTrue();
  }

  @Test
  void allowsTheHostsOfAzureDevOpsServicesAndNoOtherSubdomain() {
    assertThat(allowList.allows(URI.create("https://vssps.dev.azure.com/contoso/_apis/graph/users"))).isTrue();
    assertThat(allowList.allows(URI.create("https://feeds.dev.azure.com/contoso/_apis/packaging/feeds"))).isTrue();
    assertThat(allowList.allows(URI.create("https://vsrm.dev.azure.com/contoso/_apis/release/definitions"))).isTrue();
    assertThat(allowList.allows(URI.create("https://contoso.vssps.visualstudio.com/_apis/graph/users"))).isTrue();
    assertThat(allowList.allows(URI.create("https://evil.dev.azure.com/contoso"))).isFalse();
    assertThat(allowList.allows(URI.create("https://a.vssps.dev.azure.com/contoso"))).isFalse();
    assertThat(allowList.allows(URI.create("http://vssps.dev.azure.com/contoso"))).isFalse();
  }

  @Test
  void allowsConfiguredPrefixesOnWholePathSegments() {
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/DefaultCollection/_apis"))).isTrue();
    assertThat(allowList.allows(URI.create("https://ADO.contoso.local:443/tfs/x"))).isTrue();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfsx/DefaultCollection"))).isFalse();
    assertThat(allowList.allows(URI.create("http://ado.contoso.local/tfs/DefaultCollection"))).isFalse();
    assertThat(allowList.allows(URI.create("http://127.0.0.1:8081/contoso"))).isTrue();
    assertThat(allowList.allows(URI.create("http://127.0.0.1:8082/contoso"))).isFalse();
    assertThat(allowList.allows(URI.create("http://169.254.169.254/metadata"))).isFalse();
  }

  @Test
  void aPathThatClimbsOutOfAPrefixIsRefusedHoweverItsDotsAreSpelled() {
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/../other/_apis"))).isFalse();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/%2e%2e/other/"))).isFalse();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/%2E%2E/other/"))).isFalse();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/.%2E/other/"))).isFalse();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/x/%2e%2e%2f%2e%2e/other/"))).isFalse();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/x/..%5c..%5cother"))).isFalse();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs//../other"))).isFalse();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/tfs/%2e/x/../DefaultCollection"))).isTrue();
    assertThat(allowList.allows(URI.create("https://ado.contoso.local/%74fs/DefaultCollection"))).isTrue();
  }

  @Test
  void refusesUrlsCarryingUserInfo() {
    assertThat(allowList.allows(URI.create("https://user:pw@dev.azure.com/contoso"))).isFalse();
  }

  @Test
  void withoutTheSettingOnlyCloudIsAllowed() {
    AllowList cloudOnly = AllowList.parse(null);
    assertThat(cloudOnly.allows(URI.create("https://dev.azure.com/contoso"))).isTrue();
    assertThat(cloudOnly.allows(URI.create("https://ado.contoso.local/tfs/DefaultCollection"))).isFalse();
    assertThatThrownBy(() -> cloudOnly.check(OrganizationUrl.parse("https://ado.contoso.local/tfs/DefaultCollection")))
        .isInstanceOf(OrganizationNotAllowedException.class)
        .hasMessageContaining("ALLOWED_ORGANIZATION_URLS");
  }

  @Test
  void aMalformedPrefixIsReportedWithWhatWasGiven() {
    assertThatThrownBy(() -> AllowList.of(List.of("not a url")))
        .hasMessageContaining("'not a url'");
  }
}

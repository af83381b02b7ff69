package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrganizationUrlTest {

  @ParameterizedTest
  @CsvSource({
      "https://dev.azure.com/contoso, https://dev.azure.com/contoso, CLOUD, contoso",
      "HTTPS://Dev.Azure.com/contoso/, https://dev.azure.com/contoso, CLOUD, contoso",
      "https://dev.azure.com:443/contoso, https://dev.azure.com/contoso, CLOUD, contoso",
      "https://contoso.visualstudio.com, https://contoso.visualstudio.com, CLOUD, contoso",
      "https://contoso.visualstudio.com/DefaultCollection/, https://contoso.visualstudio.com/DefaultCollection, CLOUD, contoso",
      "https://ado.contoso.local/tfs/DefaultCollection, https://ado.contoso.local/tfs/DefaultCollection, SERVER, DefaultCollection",
      "http://build01:8080/Main, http://build01:8080/Main, SERVER, Main",
  })
  void acceptsOrganizationAndCollectionUrlsInCanonicalForm(String input, String canonical,
      OrganizationUrl.Kind kind, String name) {
    OrganizationUrl url = OrganizationUrl.parse(input);
    assertThat(url.uri()).hasToString(canonical);
    assertThat(url.kind()).isEqualTo(kind);
    assertThat(url.name()).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''| required",
      "dev.azure.com/contoso| https://",
      "ftp://dev.azure.com/contoso| https://",
      "http://dev.azure.com/contoso| https only",
      "https://dev.azure.com| names no organization",
      "https://dev.azure.com/contoso/Web| more than an organization",
      "https://dev.azure.com/contoso/Web/_git/site| points inside an organization",
      "https://me:secret@dev.azure.com/contoso| must not contain a user name or password",
      "https://dev.azure.com/contoso?x=1| query",
      "https://a.b.visualstudio.com| visualstudio.com",
      "https://ado.contoso.local| names a collection",
      "https://dev.azure.com/con_toso| not a valid organization name",
  })
  void refusesWhatIsNotAnOrganizationUrlAndSaysWhy(String input, String reason) {
    assertThatThrownBy(() -> OrganizationUrl.parse(input))
        .isInstanceOf(InvalidOrganizationUrlException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource({
      "https://dev.azure.com/contoso, IDENTITY, https://vssps.dev.azure.com/contoso",
      "https://dev.azure.com/contoso, FEEDS, https://feeds.dev.azure.com/contoso",
      "https://dev.azure.com/contoso, RELEASES, https://vsrm.dev.azure.com/contoso",
      "https://dev.azure.com/contoso, CORE, https://dev.azure.com/contoso",
      "https://contoso.visualstudio.com, EXTENSIONS, https://contoso.extmgmt.visualstudio.com",
      "https://contoso.visualstudio.com/DefaultCollection, ENTITLEMENTS, https://contoso.vsaex.visualstudio.com/DefaultCollection",
      "https://ado.contoso.local/tfs/DefaultCollection, IDENTITY, https://ado.contoso.local/tfs/DefaultCollection",
  })
  void mapsEachServiceToItsHost(String organization, Service service, String expected) {
    OrganizationUrl at = OrganizationUrl.parse(organization).at(service);
    assertThat(at.uri()).hasToString(expected);
    assertThat(AllowList.parse(null).allows(at.uri())).isEqualTo(at.kind() == OrganizationUrl.Kind.CLOUD);
  }

  @Test
  void refusedUrlWithCredentialsIsEchoedWithoutThem() {
    assertThatThrownBy(() -> OrganizationUrl.parse("https://me:s3cr3t-pat@dev.azure.com/contoso"))
        .hasMessageContaining("https://***@dev.azure.com/contoso")
        .hasMessageNotContaining("s3cr3t-pat");
  }

  @ParameterizedTest
  @CsvSource({
      "https://dev.azure.com/contoso, https://vsrm.dev.azure.com/contoso",
      "https://contoso.visualstudio.com, https://contoso.vsrm.visualstudio.com",
      "https://contoso.visualstudio.com/DefaultCollection, https://contoso.vsrm.visualstudio.com/DefaultCollection",
      "https://ado.contoso.local/tfs/DefaultCollection, https://ado.contoso.local/tfs/DefaultCollection",
  })
  void releaseDefinitionsLiveOnTheReleaseManagementHostInTheCloudAndAtTheCollectionOnAServer(String organization,
      String releaseManagement) {
    OrganizationUrl url = OrganizationUrl.parse(organization);
    OrganizationUrl release = url.at(Service.RELEASES);
    assertThat(release.uri()).hasToString(releaseManagement);
    assertThat(release.name()).isEqualTo(url.name());
    assertThat(
        AllowList.parse("https://ado.contoso.local/tfs/").allows(release.resolve("Web/_apis/release/definitions")))
        .isTrue();
  }
}

package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AzureDevOpsLfsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anActionsHeadersAreSentButNeverInPlaceOfTheCredential() throws Exception {
    var action = JSON.readTree("""
        {"href": "https://dev.azure.com/contoso/Web/_git/site/info/lfs/objects/ab",
         "header": {"Accept": "application/vnd.git-lfs", "X-Trace": "7",
                    "Authorization": "Basic c29tZW9uZS1lbHNl", "Host": "evil.example",
                    "Bad Name": "x", "X-Split": "a\\r\\nInjected: yes", "X-Number": 3}}
        """);

    assertThat(AzureDevOpsLfs.headers(action))
        .containsExactly(java.util.Map.entry("Accept", "application/vnd.git-lfs"), java.util.Map.entry("X-Trace", "7"));
    assertThat(AzureDevOpsLfs.headers(JSON.readTree("{\"href\": \"x\"}"))).isEmpty();
  }
}

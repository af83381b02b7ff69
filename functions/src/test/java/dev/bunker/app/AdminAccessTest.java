package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminAccessTest {
  private static final String GROUP = "6f1b2a4e-93c1-4c7e-9d55-0c2b8e1a7f30";
  private static final Map<String, String> IN_AZURE_WITH_AUTH =
      Map.of("WEBSITE_SITE_NAME", "bunker-abc", "WEBSITE_INSTANCE_ID", "42", "WEBSITE_AUTH_ENABLED", "True");

  private final AdminAccess enforced = AdminAccess.enforced(true, "Bunker.Admin", Set.of(GROUP));

  /** What App Service authentication writes into X-MS-CLIENT-PRINCIPAL. */
  static String principal(String... claims) {
    StringBuilder json = new StringBuilder("{\"auth_typ\":\"aad\",\"name_typ\":"
        + "\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name\",\"role_typ\":"
        + "\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\",\"claims\":[");
    for (int i = 0; i < claims.length; i += 2) {
      json.append(i == 0 ? "" : ",").append("{\"typ\":\"").append(claims[i]).append("\",\"val\":\"")
          .append(claims[i + 1]).append("\"}");
    }
    return Base64.getEncoder().encodeToString(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void admitsAPrincipalWithTheAdminRole() {
    assertThat(enforced.check(principal("name", "ada@contoso.com", "roles", "Reader", "roles", "Bunker.Admin")))
        .isEmpty();
  }

  @Test
  void admitsAnAppOnlyTokenWithTheAdminRole() {
    // a client-credentials token: no name, the app role assigned to the service principal
    assertThat(enforced.check(principal("appid", "0f6b…", "oid", "9a1c", "roles", "Bunker.Admin"))).isEmpty();
  }

  @Test
  void admitsARoleUnderTheClaimTypeThePrincipalNames() {
    assertThat(
        enforced.check(principal("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "Bunker.Admin")))
        .isEmpty();
  }

  @Test
  void admitsAMemberOfAnAdminGroup() {
    assertThat(enforced.check(principal("groups", GROUP.toUpperCase()))).isEmpty();
  }

  @Test
  void refusesAPrincipalWithoutTheRoleNamingTheRole() {
    Optional<AdminAccess.Refusal> refusal = enforced.check(
        principal("name", "bob@contoso.com", "roles", "bunker.admin", "groups",
            "11111111-2222-3333-4444-555555555555"));

    assertThat(refusal).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.reason()).contains("Bunker.Admin").doesNotContain("bob@contoso.com", GROUP);
    });
  }

  @Test
  void refusesACallerWhoIsNotSignedIn() {
    assertThat(enforced.check(null)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
    assertThat(enforced.check("")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
  }

  @Test
  void refusesAMalformedPrincipalAsNotSignedInWithoutEchoingIt() {
    String notJson = Base64.getEncoder().encodeToString("eyJhbGciOi.secret-token".getBytes(StandardCharsets.UTF_8));
    String noClaims = Base64.getEncoder().encodeToString("{\"auth_typ\":\"aad\"}".getBytes(StandardCharsets.UTF_8));
    for (String header : new String[] {"%%%not base64%%%", notJson, noClaims, "bnVsbA==", "x".repeat(100_000)}) {
      assertThat(enforced.check(header)).as(header.length() > 50 ? "huge header" : header)
          .hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).doesNotContain("secret-token", "not base64");
          });
    }
  }

  @Test
  void ignoresThePrincipalHeaderWhenAppServiceAuthenticationIsOff() {
    // without App Service authentication nothing strips a header the client sent itself
    AdminAccess withoutAuth = AdminAccess.enforced(false, "Bunker.Admin", Set.of());

    assertThat(withoutAuth.check(principal("roles", "Bunker.Admin")))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
  }

  @Test
  void isOpenLocallyByDefaultAndEnforcedInAzure() {
    assertThat(AdminAccess.fromEnvironment(Map.of()).check(null)).isEmpty();

    AdminAccess azure = AdminAccess.fromEnvironment(IN_AZURE_WITH_AUTH);
    assertThat(azure.check(null)).isPresent();
    assertThat(azure.check(principal("roles", "Bunker.Admin"))).isEmpty();
  }

  @Test
  void trustsThePrincipalInAzureOnlyWhenThePlatformSaysAuthenticationIsOn() {
    AdminAccess withoutAuth = AdminAccess.fromEnvironment(Map.of("WEBSITE_SITE_NAME", "bunker-abc"));

    assertThat(withoutAuth.check(principal("roles", "Bunker.Admin")))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
  }

  @Test
  void refusesOpenAccessInAzure() {
    assertThatThrownBy(() -> AdminAccess.fromEnvironment(Map.of("WEBSITE_INSTANCE_ID", "42", "ADMIN_ACCESS", "open")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ADMIN_ACCESS=open is refused when running in Azure");
  }

  @Test
  void enforcesLocallyWhenConfiguredWithTheConfiguredRoleAndGroups() {
    AdminAccess local = AdminAccess.fromEnvironment(Map.of("ADMIN_ACCESS", "Enforced", "ADMIN_ROLE", "Backup.Operator",
        "ADMIN_GROUP_IDS", " " + GROUP + " , ", "WEBSITE_AUTH_ENABLED", "true"));

    assertThat(local.check(principal("roles", "Backup.Operator"))).isEmpty();
    assertThat(local.check(principal("groups", GROUP))).isEmpty();
    assertThat(local.check(principal("roles", "Bunker.Admin")))
        .hasValueSatisfying(r -> assertThat(r.reason()).contains("Backup.Operator"));
  }

  @Test
  void refusesInvalidSettings() {
    assertThatThrownBy(() -> AdminAccess.fromEnvironment(Map.of("ADMIN_ACCESS", "off")))
        .hasMessageContaining("ADMIN_ACCESS must be enforced or open");
    assertThatThrownBy(() -> AdminAccess.fromEnvironment(Map.of("ADMIN_GROUP_IDS", "admins")))
        .hasMessageContaining("ADMIN_GROUP_IDS must list Entra ID group object ids");
    assertThatThrownBy(() -> AdminAccess.fromEnvironment(Map.of("ADMIN_ROLE", "Bunker Admin")))
        .hasMessageContaining("ADMIN_ROLE");
  }
}

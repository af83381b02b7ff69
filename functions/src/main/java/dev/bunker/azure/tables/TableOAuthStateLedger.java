package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import dev.bunker.core.oauth.OAuthStateLedger;
import java.time.Instant;

/**
 * Completed sign-ins in an Azure Table of the app's storage account, one row per nonce (partition
 * {@code signin}): inserting is the claim, so two instances racing on one callback cannot both win
 * (409).
 */
public final class TableOAuthStateLedger implements OAuthStateLedger {
  public static final String DEFAULT_TABLE = "oauthsignins";
  private static final String PARTITION = "signin";
  private static final Column<Instant> EXPIRES_AT = Column.instant("ExpiresAt");

  private final TableRows<SignIn> rows;

  public TableOAuthStateLedger(TableClient table) {
    this.rows = new TableRows<>(table, "sign-in", TableOAuthStateLedger::row, TableOAuthStateLedger::signIn);
  }

  /** The ledger in {@code tableName}, created if missing. */
  public static TableOAuthStateLedger create(TableServiceClient service, String tableName) {
    return new TableOAuthStateLedger(TableRows.open(service, tableName));
  }

  @Override
  public boolean claim(String nonce, Instant expiresAt) {
    return rows.insertIfAbsent(new SignIn(nonce, expiresAt));
  }

  @Override
  public void forgetExpired(Instant now) {
    rows.deleteWhere(PARTITION, EXPIRES_AT.lessThan(now));
  }

  private static Row row(SignIn signIn) {
    return Row.at(PARTITION, signIn.nonce()).with(EXPIRES_AT, signIn.expiresAt());
  }

  private static SignIn signIn(Row row) {
    return new SignIn(row.rowKey(), row.get(EXPIRES_AT));
  }

  /** A completed sign-in: its nonce cannot be used again until it expires. */
  private record SignIn(String nonce, Instant expiresAt) {}
}

package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.oauth.OAuthStateLedger;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-ins in an Azure Table of the app's storage account, one row per nonce: who started one
 * (partition {@code started}) and which were completed (partition {@code signin}), where inserting
 * is the claim, so two instances racing on one callback cannot both win (409).
 */
public final class TableOAuthStateLedger implements OAuthStateLedger {
  public static final String DEFAULT_TABLE = "oauthsignins";
  private static final String PARTITION = "signin";
  private static final String STARTED_PARTITION = "started";
  private static final Column<Instant> EXPIRES_AT = Column.instant("ExpiresAt");
  private static final Column<String> ACTOR_NAME = Column.string("ActorName");
  private static final Column<String> ACTOR_OBJECT_ID = Column.string("ActorObjectId");

  private final TableRows<SignIn> rows;
  private final TableRows<Started> started;

  public TableOAuthStateLedger(TableClient table) {
    this.rows = new TableRows<>(table, "sign-in", TableOAuthStateLedger::row, TableOAuthStateLedger::signIn);
    this.started =
        new TableRows<>(table, "started sign-in", TableOAuthStateLedger::row, TableOAuthStateLedger::started);
  }

  /** The ledger in {@code tableName}, created if missing. */
  public static TableOAuthStateLedger create(TableServiceClient service, String tableName) {
    return new TableOAuthStateLedger(TableRows.open(service, tableName));
  }

  @Override
  public void begin(String nonce, AuditEntry.Actor startedBy, Instant expiresAt) {
    started.upsert(new Started(nonce, startedBy, expiresAt));
  }

  @Override
  public Optional<AuditEntry.Actor> startedBy(String nonce) {
    return started.find(STARTED_PARTITION, nonce).map(Started::by);
  }

  @Override
  public boolean claim(String nonce, Instant expiresAt) {
    return rows.insertIfAbsent(new SignIn(nonce, expiresAt));
  }

  @Override
  public void forgetExpired(Instant now) {
    rows.deleteWhere(PARTITION, EXPIRES_AT.lessThan(now));
    started.deleteWhere(STARTED_PARTITION, EXPIRES_AT.lessThan(now));
  }

  private static Row row(SignIn signIn) {
    return Row.at(PARTITION, signIn.nonce()).with(EXPIRES_AT, signIn.expiresAt());
  }

  private static SignIn signIn(Row row) {
    return new SignIn(row.rowKey(), row.get(EXPIRES_AT));
  }

  private static Row row(Started signIn) {
    return Row.at(STARTED_PARTITION, signIn.nonce()).with(EXPIRES_AT, signIn.expiresAt())
        .with(ACTOR_NAME, signIn.by().name()).with(ACTOR_OBJECT_ID, signIn.by().objectId());
  }

  private static Started started(Row row) {
    return new Started(row.rowKey(), new AuditEntry.Actor(row.get(ACTOR_NAME), row.get(ACTOR_OBJECT_ID)),
        row.get(EXPIRES_AT));
  }

  /** A completed sign-in: its nonce cannot be used again until it expires. */
  private record SignIn(String nonce, Instant expiresAt) {}

  /** A sign-in an admin started; the callback's audit entry names them. */
  private record Started(String nonce, AuditEntry.Actor by, Instant expiresAt) {}
}

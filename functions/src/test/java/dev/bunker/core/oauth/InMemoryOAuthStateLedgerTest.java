package dev.bunker.core.oauth;

class InMemoryOAuthStateLedgerTest extends OAuthStateLedgerContract {
  private final OAuthStateLedger ledger = new InMemoryOAuthStateLedger();

  @Override
  protected OAuthStateLedger ledger() {
    return ledger;
  }
}

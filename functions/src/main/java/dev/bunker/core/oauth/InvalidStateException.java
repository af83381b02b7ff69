package dev.bunker.core.oauth;

/** The {@code state} of an OAuth callback cannot be trusted: answer 400 and change nothing. */
public class InvalidStateException extends RuntimeException {
  /** Why the state was refused. */
  public enum Reason {
    MISSING("the sign-in state is missing"),
    MALFORMED("the sign-in state is malformed"),
    FORGED("the sign-in state was not issued by this Bunker"),
    EXPIRED("the sign-in took too long and expired"),
    REPLAYED("this sign-in was already completed");

    private final String text;

    Reason(String text) {
      this.text = text;
    }
  }

  private final Reason reason;

  public InvalidStateException(Reason reason) {
    super(reason.text + "; start connecting the organization again");
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package dev.bunker.store;

import java.util.List;

/** What a push did, ref by ref. */
public record PushResult(List<RefPushed> refs) {
  public PushResult {
    refs = List.copyOf(refs);
  }

  /** How one ref fared. */
  public enum Outcome { UPDATED, UP_TO_DATE, REJECTED }

  /** One ref: its name at the target, the outcome and the server's reason when rejected. */
  public record RefPushed(String ref, Outcome outcome, String reason) {}

  public boolean succeeded() {
    return refs.stream().noneMatch(r -> r.outcome() == Outcome.REJECTED);
  }

  public List<RefPushed> rejected() {
    return refs.stream().filter(r -> r.outcome() == Outcome.REJECTED).toList();
  }
}

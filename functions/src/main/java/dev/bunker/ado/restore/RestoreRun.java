package dev.bunker.ado.restore;

import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.RestoreLedger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One run of a restore, shared by the restorers (work items are made on several threads): what it
 * made (kept in the ledger, so a run again makes nothing twice), what the target held and was left
 * or restored beside under another name, notes and people it could not map.
 */
final class RestoreRun {
  /** Added to a name the target already holds, when restoring beside it. */
  static final String RENAMED = " (restored)";

  final RestoreLedger ledger;
  final OnConflict onConflict;
  final Set<String> notes = Collections.synchronizedSet(new LinkedHashSet<>());
  final Set<String> identities = Collections.synchronizedSet(new TreeSet<>(String.CASE_INSENSITIVE_ORDER));
  final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
  final List<String> renamed = Collections.synchronizedList(new ArrayList<>());

  RestoreRun(RestoreLedger ledger, OnConflict onConflict) {
    this.ledger = ledger;
    this.onConflict = onConflict;
  }

  /** The target's id of what this restore made from {@code sourceId} of {@code kind}, in this run or before. */
  Optional<String> made(String kind, String sourceId) {
    return ledger.find(kind, sourceId);
  }

  /** Records that the target made {@code sourceId} of {@code kind} as {@code targetId}. */
  void record(String kind, String sourceId, String targetId) {
    ledger.record(kind, sourceId, targetId);
  }

  /**
   * The name to restore {@code what} (e.g. "build definition ci") under when the target already
   * holds {@code name}: empty to leave the target's as it is (listed as skipped), else the first name
   * with {@link #RENAMED} (and a number) that {@code taken} does not hold (listed as renamed).
   */
  Optional<String> onConflict(String what, String name, Predicate<String> taken) {
    if (onConflict == OnConflict.SKIP) {
      skipped.add(what + ": the target project holds one of this name; left as it is");
      return Optional.empty();
    }
    String free = freeName(name, taken);
    renamed.add(what + " → " + free);
    return Optional.of(free);
  }

  static String freeName(String name, Predicate<String> taken) {
    String free = name + RENAMED;
    for (int n = 2; taken.test(free); n++) {
      free = name + " (restored " + n + ")";
    }
    return free;
  }
}

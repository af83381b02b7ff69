package dev.bunker.core.notify;

/**
 * One target of a {@code PUT …/notifications}. A new target needs {@code kind} and {@code url}; an
 * existing one is named by {@code id} and keeps its URL (and signing secret) unless given anew.
 * {@code onFailure} defaults to true, {@code onSuccess} and {@code dailySummary} to false.
 * {@code signingSecret} (write-only, 32 to 256 characters, the HMAC key of the target's messages) is
 * for generic targets only and required for a new one; an existing generic target keeps its stored
 * secret when none is given.
 */
public record NotificationTargetInput(
    String id,
    NotificationKind kind,
    String url,
    Boolean onFailure,
    Boolean onSuccess,
    Boolean dailySummary,
    String signingSecret) {}

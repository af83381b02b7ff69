package dev.bunker.core.notify;

/**
 * One target of a {@code PUT …/notifications}. A new target needs {@code kind} and {@code url}; an
 * existing one is named by {@code id} and keeps its URL (and signing secret) unless given anew.
 * {@code onFailure} defaults to true, {@code onSuccess} and {@code dailySummary} to false.
 * {@code signingSecret} is for generic targets only; without one a new generic target gets a
 * generated secret, answered once.
 */
public record NotificationTargetInput(
    String id,
    NotificationKind kind,
    String url,
    Boolean onFailure,
    Boolean onSuccess,
    Boolean dailySummary,
    String signingSecret) {}

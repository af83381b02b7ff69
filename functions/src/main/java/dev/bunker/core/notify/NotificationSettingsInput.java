package dev.bunker.core.notify;

import java.util.List;

/** The body of {@code PUT /api/organizations/{id}/notifications}: every target; targets left out are removed. */
public record NotificationSettingsInput(List<NotificationTargetInput> targets) {}

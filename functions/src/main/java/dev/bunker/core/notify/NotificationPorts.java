package dev.bunker.core.notify;

import java.net.URI;
import java.util.Optional;

/** What notifications need from outside the domain; {@code console} is the console's address, for links. */
public record NotificationPorts(NotificationRecords records, Notifier notifier, Optional<URI> console) {}

package dev.bunker.devhost;

/** The app (function.json, host.json, settings) asks for something devhost cannot serve. */
public final class HostConfigurationException extends RuntimeException {
  public HostConfigurationException(String message) {
    super(message);
  }

  public HostConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}

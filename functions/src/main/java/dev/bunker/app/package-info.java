/** The one place that wires the process: settings, health, admin access and {@link dev.bunker.app.App}, which builds every adapter and the domain once. */
package dev.bunker.app;

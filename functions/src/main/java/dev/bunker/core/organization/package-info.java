/** Registering organizations and the credentials (PATs in the secret store, OAuth grants) they are reached with. */
package dev.bunker.core.organization;

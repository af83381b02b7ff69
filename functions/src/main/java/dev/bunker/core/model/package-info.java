/** The domain's records, values, enums and exceptions, shared by ports and services; depends on nothing else in core. */
package dev.bunker.core.model;

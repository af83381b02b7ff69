/** The audit trail of admin calls: appending, reading newest first, and retention. */
package dev.bunker.core.audit;

/** The metadata snapshot store on blobs: content-addressed objects, snapshot indexes, the writer, garbage collection, and the restore plan and ledger. */
package dev.bunker.metadata;

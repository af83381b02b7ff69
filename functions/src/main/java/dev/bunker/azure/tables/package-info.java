/**
 * Bunker's records in Azure Tables: the catalog ({@link dev.bunker.azure.tables.TableCatalog}, one
 * class per table) and the sign-in ledger, all over one row mapper.
 *
 * <p>To add a table: declare its name, key layout and {@link dev.bunker.azure.tables.Column}s as
 * constants, write the record to a {@link dev.bunker.azure.tables.Row} and read it back, and hand
 * both to a {@link dev.bunker.azure.tables.TableRows}, which does the SDK calls (conditional
 * writes, batches, paging, unusable keys). A column added later must read its absence ({@link
 * dev.bunker.azure.tables.Row#get(Column, Object)}): rows already stored lack it. Never rename a
 * table or a column, nor change a key layout: stored data is read by those names.
 */
package dev.bunker.azure.tables;

/** Process logging: slf4j (JGit, the Azure SDK) into java.util.logging, one line per record, every line stamped with the run, organization and repository it concerns. */
package dev.bunker.logging;

/** The protection report: per repository and metadata scope whether it is protected within its policy, with history for the dashboard. */
package dev.bunker.core.report;

/** The Azure Functions triggers: each class translates HTTP, timer or queue input into one domain call and its answer back (problem+json in {@link dev.bunker.functions.Http}). */
package dev.bunker.functions;

/** JSON reading and writing for requests, stored documents and Azure DevOps answers, with its own exceptions for bad input and damaged data. */
package dev.bunker.json;

/** Connecting organizations through Microsoft Entra ID: sign-in state, consent callback, token grants and their renewal. */
package dev.bunker.core.oauth;

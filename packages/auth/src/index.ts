/**
 * @orders-live/auth: access tokens for the websocket-service and the orders API (HS256 JWTs, jose).
 * Settings from the environment, verification with an explicit clock, signing for the token CLI.
 */
export * from './auth-settings.js';
export * from './access-token.js';
export * from './verify-token.js';
export * from './sign-token.js';
export * from './bearer-challenge.js';

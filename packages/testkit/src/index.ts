export * from './stack.js';
export * from './wait.js';
export * from './connector.js';
export * from './frame-client.js';
export * from './database.js';
export * from './env-file.js';
export * from './service.js';
export * from './live-client.js';

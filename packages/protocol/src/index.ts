export * from './orders.js';
export * from './cursor.js';
export * from './frames.js';
export * from './error-codes.js';
export * from './filter.js';
export * from './access.js';
export * from './columns.js';
export * from './window-diff.js';

// The core surface: errors with codes, digests and hashing streams, events.
export * from './errors.js';
export * from './digest.js';
export * from './events.js';
export * from './version.js';
export * from './files.js';
export * from './fs-errors.js';

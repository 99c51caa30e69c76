// The Docker adapter's public surface: the narrow engine client.
export * from './engine.js';
export * from './engine-endpoint.js';
export * from './docker-cli.js';
export * from './build-flags.js';
export * from './dockerfile.js';
export * from './model-fetches.js';
export * from './dockerfile-subst.js';

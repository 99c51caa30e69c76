// The Docker adapter's public surface: the narrow engine client.
export * from './engine.js';

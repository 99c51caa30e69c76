// Test helpers for integration tests: the real Docker engine, registries, git over HTTP, fixtures, the CLI.
export * from './exec.js';
export * from './tmp.js';
export * from './docker.js';
export * from './registry.js';
export { startGitServer, type GitServer, type GitRequest } from './git-server.js';
export * from './git-repo.js';
export * from './fixtures.js';
export * from './cli.js';

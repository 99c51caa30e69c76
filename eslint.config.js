import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'templates/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error'],
    },
  },
  { files: ['src/cli/**', 'bench/**', 'test/**', 'examples/**'], rules: { 'no-console': 'off' } },
  { files: ['**/*.mjs', 'bin/**'], languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly' } } },
);

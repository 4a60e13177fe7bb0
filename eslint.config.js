// Lint rules that protect an async server: no floating promises, no misused promises.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cemesh/**',
      'tmp/**',
      'eslint.config.js',
      'scripts/*.mjs',
      'examples/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The function replica's console is the function's log channel (Kyma functions log with console).
    files: [
      'src/cli/**',
      'src/server/main.ts',
      'src/server/bin.ts',
      'src/functions/runtime/child.ts',
      'bench/**',
      'test/**',
      'scripts/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    // Node 20's combined and timeout signals leak or never fire in a long-running server (src/core/signals.ts).
    files: ['src/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'AbortSignal',
          property: 'any',
          message: 'leaks on long-lived sources in Node 20: use linkedSignal from src/core/signals.ts',
        },
        {
          object: 'AbortSignal',
          property: 'timeout',
          message: 'can be collected before it fires: use deadline from src/core/signals.ts',
        },
      ],
    },
  },
  {
    // Tests read untyped JSON answers; `any` there keeps assertions short.
    files: ['test/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

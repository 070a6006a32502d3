// Lint: typescript-eslint's type-checked rules (floating promises, misused promises, unsafe `any`
// flows — the bugs a Kafka consumer and a socket server actually have), with Prettier owning layout
// (eslint-config-prettier turns off every rule it decides). `npm run lint` runs both; npm test runs it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.stack/**', '.ci/**', 'test-results/**', 'web-client/public/**', 'bench/results/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: ['./tsconfig.lint.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Async by contract, not by body: fastify plugins and route handlers, kafkajs' eachBatch and
      // eachMessage, and test callbacks return promises whether or not they await anything.
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names are placeholders kept on purpose (destructuring a field away, an unused parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // No function over 100 lines outside tests (issue 18): a long function is a sign of several concepts, each wanting a name.
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', '**/e2e/**', '**/test-support.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Tests match values with vitest's asymmetric matchers (expect.any, expect.stringMatching), typed
    // `any`, and read query results (pg types rows as `any`) only to assert on them at once: there the
    // assertion is the check. Product code keeps every no-unsafe-* rule.
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // expect(fake.method).toHaveBeenCalled… names a method without calling it.
      '@typescript-eslint/unbound-method': 'off',
      // Recorded envelopes are edited as loose JSON to forge bad records.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Playwright fixtures that use no other fixture are declared `async ({}, use) => …`.
    files: ['**/e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'TextEncoder', 'TextDecoder', 'setTimeout', 'clearTimeout', 'fetch', 'performance', 'Buffer'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  },
  prettier,
);

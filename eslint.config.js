import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'packages/*/dist/**', 'docs/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through src/config only.' }],
    },
  },
  { files: ['src/config/**', 'test/**', 'scripts/**', 'bench/**', 'bin/**'], rules: { 'no-restricted-syntax': 'off' } },
  // A retried assertion without a message makes node:assert re-read and parse the test's source on every failed
  // try (minutes on tsx-transformed files: a CI hang, test/helpers/eventually.ts).
  {
    files: ['test/**'],
    rules: { 'no-restricted-syntax': ['error', ...['assert.ok', 'assert'].map((fn) => ({
      selector: `CallExpression[callee.name='eventually'] CallExpression${fn === 'assert' ? "[callee.name='assert']" : "[callee.object.name='assert'][callee.property.name='ok']"}[arguments.length=1]`,
      message: `Give ${fn}(…) inside eventually() a message: without one, node:assert parses the test's source on every retry.`,
    }))] },
  },
  // Layers (docs/architecture.md): domain, state, storage and core know nothing about transports or composition;
  // the protocol imports nothing from the server; HTTP routes never reach into the socket layer.
  {
    files: ['src/modules/**', 'src/state/**', 'src/storage/**', 'src/core/**', 'src/auth/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['socket.io', 'fastify', '@fastify/*'], message: 'Domain, state and storage code knows nothing about transports.' },
      { group: ['**/realtime/**', '**/http/**', '**/families/**', '!**/protocol/families/**', '**/cli/**', '**/app.ts'], message: 'Lower layers never import transports or the composition root.' },
      { group: ['**/config/**'], message: 'Take settings as parameters; only the composition root reads Config.' },
    ] }] },
  },
  {
    files: ['src/protocol/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{
      group: ['**/core/**', '**/modules/**', '**/state/**', '**/storage/**', '**/realtime/**', '**/http/**', '**/config/**', '**/cli/**', '**/auth/**', '**/observability/**', '**/app.ts', 'socket.io', 'fastify'],
      message: 'The wire contract imports nothing from the server.',
    }] }] },
  },
  {
    files: ['src/http/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/realtime/**', 'socket.io'], message: 'HTTP routes never import the socket layer; take what they need as an interface.' }] }] },
  },
);

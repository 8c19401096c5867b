// ESLint flat config. Besides the usual checks it keeps the functional core pure
// (docs/DESIGN.md, "Architecture"): nothing in src/core may import a node: module or
// anything from the shell, the UI or the CLI, or read the clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export const corePurity = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['node:*'], message: 'src/core is pure: no node: modules (docs/DESIGN.md).' },
        {
          group: ['**/shell/*', '**/ui/*', '**/cli/*', '../shell', '../ui', '../cli'],
          message: 'src/core is pure: it may not import the shell, the UI or the CLI.',
        },
        {
          group: ['fs', 'fs/*', 'path', 'os', 'child_process', 'chokidar', 'ink', 'react'],
          message: 'src/core is pure: no file system, processes, watchers or Ink.',
        },
      ],
    },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'src/core takes time as an argument.' },
    { object: 'performance', property: 'now', message: 'src/core takes time as an argument.' },
    { object: 'process', message: 'src/core does not touch the process.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'src/core takes time as an argument: new Date() with no argument reads the clock.',
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'src/core does not touch the process.' },
    { name: 'setTimeout', message: 'src/core has no timers.' },
    { name: 'setInterval', message: 'src/core has no timers.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'fixtures/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A let read by a callback before it is assigned (a watcher made before its engine) stays a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A sanitiser's job is control characters; its patterns name them on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/ui/**/*.tsx', 'src/ui/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  { files: ['src/core/**/*.ts'], rules: corePurity },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests wait for a frame and keep it for the next step; hostile inputs are odd on purpose.
      'no-useless-assignment': 'off',
      'no-sparse-arrays': 'off',
      'no-misleading-character-class': 'off',
      'preserve-caught-error': 'off',
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  prettier,
);

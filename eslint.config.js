// ESLint with typescript-eslint's type-checked rules for every workspace (tsc does the type
// checking itself; these rules catch what types allow but is still wrong: floating promises,
// unsafe any, awaiting non-promises). Prettier owns the layout (`npm run check` runs both).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/lib/**', '**/dist/**', 'coverage/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Every transaction of the functions goes through runTx, which also reruns one the emulator (or
    // a deadline) closed under it: a retry the SDK does not make.
    files: ['functions/src/**/*.ts'],
    ignores: ['functions/src/core/firestore.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='runTransaction']", message: 'Use runTx(db, fn) from core/firestore.ts.' },
      ],
      // The package's root and its v2 index load every provider (~40 ms of each cold start): import
      // the part a file uses (firebase-functions/logger, /v2/https, /v2/options, …).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'firebase-functions', message: "Import the part you use: 'firebase-functions/logger', '/v2/https', …" },
            { name: 'firebase-functions/v2', message: "Import the part you use: 'firebase-functions/v2/options', '/v2/https', …" },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript (launchers, this file): no TypeScript program to type-check against.
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

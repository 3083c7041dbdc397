// Lint for the whole tree: typescript-eslint's recommended rules plus the project's own
// (no `any`, naming, no import cycles, the engine reached only through its index).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Anything under engine/<folder>/ is private to the engine; others import `…/engine`. */
const ENGINE_DEEP_IMPORTS = {
  patterns: [
    {
      group: ['**/engine/*', '!**/engine/index'],
      message: 'Import the engine through its index (extension/src/engine), its only public door.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'extension/dist/',
      'modes/dist/',
      'build/',
      '.cache/',
      'models/demo/',
      'demo/data/',
      'test/fixtures/**/*.dcm',
      'docs/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'default', format: ['camelCase'], leadingUnderscore: 'allow' },
        { selector: 'import', format: ['camelCase', 'PascalCase'] },
        { selector: 'variable', format: ['camelCase', 'PascalCase', 'UPPER_CASE'], leadingUnderscore: 'allow' },
        { selector: 'function', format: ['camelCase', 'PascalCase'] },
        { selector: 'typeLike', format: ['PascalCase'] },
        { selector: 'enumMember', format: ['PascalCase', 'UPPER_CASE'] },
        // Object keys mirror outside names (DICOM keywords, ONNX fields, HTTP headers, CSS).
        { selector: ['objectLiteralProperty', 'typeProperty'], format: null },
        { selector: ['classProperty'], modifiers: ['static', 'readonly'], format: ['UPPER_CASE', 'camelCase'] },
        { selector: ['classProperty'], modifiers: ['readonly'], format: ['UPPER_CASE', 'camelCase'] },
        { selector: 'parameter', format: ['camelCase'], leadingUnderscore: 'allow' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', ENGINE_DEEP_IMPORTS],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The engine's own files may reach each other directly.
    files: ['extension/src/engine/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Code that Playwright runs inside the viewer page reaches OHIF's and Cornerstone's untyped
    // window globals (window.services, viewports); typing all of them would mirror OHIF's sources.
    files: ['test/e2e/**', 'test/browser/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Ambient declarations name globals that webpack defines (`__webpack_public_path__`).
    files: ['**/*.d.ts'],
    rules: { '@typescript-eslint/naming-convention': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);

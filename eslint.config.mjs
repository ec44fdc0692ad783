// Lint: typescript-eslint with type information, so that async mistakes (a forgotten await on a
// write is a lost record) and non-exhaustive switches fail the build; plus import rules that keep
// the layers honest. Formatting is Prettier's job (`npm run format`), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Only `src/database/` (and the health check) may reach TypeORM's DataSource: everything else goes through the gateway. */
const DATA_SOURCE_RULE = {
  name: 'typeorm',
  importNames: ['DataSource'],
  message:
    'Read and write through TransactionRunner (src/database/transaction-runner.ts); only src/database may use the DataSource.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'reports/**',
      '.stryker-tmp/**',
      'test/artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The iCalendar and input rules match control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Nest's decorators and TypeORM's entity metadata are typed loosely; these would flag every controller.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/database/**', 'src/health/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [DATA_SOURCE_RULE] }],
    },
  },
  {
    // `common/` holds what every feature shares; it never depends on a feature.
    files: ['src/common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [DATA_SOURCE_RULE],
          patterns: [
            {
              regex: '^\\.\\./(?!common/)',
              message: 'Nothing under src/common imports a feature module.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'src/**/*.spec.ts', 'migrations/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);

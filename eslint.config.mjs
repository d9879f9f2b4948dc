// One lint config for the whole tree: typescript-eslint with type information (for
// no-floating-promises), consistent type imports, and nx module boundaries:
// apps and tools may use libs; libs/api and libs/runtime use nothing of ours; each lib only the
// layers below it.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '.nx/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:api', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:runtime', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:store', onlyDependOnLibsWithTags: ['layer:api'] },
            { sourceTag: 'layer:bus', onlyDependOnLibsWithTags: ['layer:api'] },
            {
              sourceTag: 'layer:client',
              onlyDependOnLibsWithTags: ['layer:api', 'layer:bus', 'layer:runtime'],
            },
            {
              sourceTag: 'layer:testing',
              onlyDependOnLibsWithTags: [
                'layer:api',
                'layer:store',
                'layer:bus',
                'layer:client',
                'layer:runtime',
              ],
            },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    // Test fakes (`@kubeling/<lib>/testing`) are for tests only: production code must not
    // reach a FakeClock or FakeApiServer by accident.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**', 'libs/testing/**', '**/e2e/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@kubeling/*/testing'], message: 'test fakes are for tests' }] },
      ],
    },
  },
  prettier,
);

import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests index into arrays they have just checked the length of, and match terminal escapes.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-control-regex': 'off' },
  },
  {
    // Commands and the GitLab client take their I/O as arguments: no ambient process state.
    files: ['src/commands/**/*.ts', 'src/gitlab/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': ['error',
        { object: 'process', property: 'exit', message: 'throw a GltError instead' },
        { object: 'process', property: 'env', message: 'read Env from deps' },
        { object: 'process', property: 'stdout', message: 'write to deps.io' },
        { object: 'process', property: 'stderr', message: 'write to deps.io' },
      ],
    },
  },
)

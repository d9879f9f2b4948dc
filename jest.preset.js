// Shared jest settings for every project: TypeScript through swc (no type-check here; `npm test`
// runs tsc first), workspace libs by source, and one harness for Redis/NATS (libs/testing):
// with a Docker engine and no REDIS_URL/NATS_URL, globalSetup starts them in containers.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@kubeling/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
    // Test-only entries (`@kubeling/client/testing`): fakes kept out of the main entry.
    '^@kubeling/([a-z-]+)/testing$': path.join(__dirname, 'libs/$1/src/testing/index.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  globalSetup: path.join(__dirname, 'libs/testing/src/jest/globalSetup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/jest/globalTeardown.ts'),
};

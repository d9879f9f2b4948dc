// Acceptance tests: the real kubectl against clusters brought up by the real `kubeling up`.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testTimeout: 120_000,
  // Clusters are whole process trees; run test files one at a time on a 2-core machine.
  maxWorkers: 1,
};

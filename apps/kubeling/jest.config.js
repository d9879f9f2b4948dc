module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'kubeling',
  rootDir: __dirname,
};

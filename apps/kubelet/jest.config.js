module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'kubelet',
  rootDir: __dirname,
};

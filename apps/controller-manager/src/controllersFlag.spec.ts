import { isControllerEnabled, parseControllers } from './controllersFlag';

const known = [
  { name: 'deployment', enabledByDefault: true },
  { name: 'replicaset', enabledByDefault: true },
  { name: 'bootstrapsigner', enabledByDefault: false },
];
const enabled = (text: string) =>
  known.filter((c) => isControllerEnabled(c, parseControllers(text, known))).map((c) => c.name);

describe('--controllers', () => {
  it.each([
    ['*', ['deployment', 'replicaset']],
    ['*,-deployment', ['replicaset']],
    ['deployment', ['deployment']],
    ['*,bootstrapsigner', ['deployment', 'replicaset', 'bootstrapsigner']],
    ['-deployment,*', ['replicaset']],
    ['deployment,-deployment', ['deployment']], // the first entry naming it decides
    ['replicaset-controller', ['replicaset']], // 1.27+ spelling
    ['', []],
  ])('%p enables %p', (text, want) => {
    expect(enabled(text)).toEqual(want);
  });

  it('refuses unknown names as upstream does', () => {
    expect(() => parseControllers('*,foo', known)).toThrow(
      '"foo" is not in the list of known controllers',
    );
    expect(() => parseControllers('-bar', known)).toThrow(
      '"bar" is not in the list of known controllers',
    );
  });
});

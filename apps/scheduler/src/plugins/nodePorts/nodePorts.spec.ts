import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod } from '../../testing/fixtures';
import { NodePorts } from '.';

const withPort = (
  name: string,
  hostPort: number,
  hostIP?: string,
  protocol?: string,
  nodeName?: string,
) => {
  const p = makePod(name, nodeName ? { nodeName } : {});
  p.spec.containers[0]!.ports = [
    {
      containerPort: 80,
      hostPort,
      ...(hostIP ? { hostIP } : {}),
      ...(protocol ? { protocol } : {}),
    },
  ];
  return p;
};

describe('NodePorts', () => {
  it.each<[string, number, string | undefined, string | undefined, boolean]>([
    ['same port', 8080, undefined, undefined, false],
    ['other port', 8081, undefined, undefined, true],
    ['same port, UDP', 8080, undefined, 'UDP', true],
    ['same port, specific IP vs 0.0.0.0', 8080, '10.0.0.1', undefined, false],
  ])('%s', (_n, port, ip, proto, fits) => {
    const [node] = infos([makeNode('n')], [withPort('used', 8080, undefined, undefined, 'n')]);
    const s = new NodePorts().filter(new CycleState(), withPort('p', port, ip, proto), node!);
    expect(s.code).toBe(fits ? 'Success' : 'Unschedulable');
    if (!fits)
      expect(s.reasons).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
  });
});

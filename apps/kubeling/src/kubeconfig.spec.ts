import { parse } from 'yaml';
import { renderKubeconfig } from './kubeconfig';

describe('renderKubeconfig', () => {
  it('names cluster, user and context kubeling-<name> and selects the context', () => {
    const text = renderKubeconfig({ cluster: 'lab', server: 'http://127.0.0.1:40123' });
    expect(parse(text)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubeling-lab', cluster: { server: 'http://127.0.0.1:40123' } }],
      users: [{ name: 'kubeling-lab', user: {} }],
      contexts: [
        { name: 'kubeling-lab', context: { cluster: 'kubeling-lab', user: 'kubeling-lab' } },
      ],
      'current-context': 'kubeling-lab',
      preferences: {},
    });
  });

  it('is plain YAML kubectl reads (block style, server unquoted)', () => {
    const text = renderKubeconfig({ cluster: 'a', server: 'http://127.0.0.1:1' });
    expect(text).toContain('current-context: kubeling-a\n');
    expect(text).toContain('server: http://127.0.0.1:1\n');
  });
});

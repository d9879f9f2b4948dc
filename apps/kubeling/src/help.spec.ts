import { helpText } from './help';

describe('helpText', () => {
  it('lists every command at the top level', () => {
    const text = helpText();
    for (const cmd of ['up', 'down', 'status', 'kubeconfig'])
      expect(text).toMatch(new RegExp(`^  ${cmd}\\s+\\S`, 'm'));
    expect(text).toMatch(/^ {2}-h, --help\s+help for kubeling$/m);
  });

  it('generates each command help from its flag declarations, defaults included', () => {
    const up = helpText('up');
    expect(up).toMatch(/^Usage:\n {2}kubeling up \[flags\]$/m);
    expect(up).toMatch(/--name string\s+cluster name \(default "kubeling"\)$/m);
    expect(up).toMatch(/--nodes int\s+number of worker nodes .*\(default 1\)$/m);
    expect(up).toMatch(/--runtime string\s+.*process \| sim \(default "process"\)$/m);
    expect(up).toMatch(/--api-servers int\s+number of api-server replicas \(default 1\)$/m);
    expect(up).toMatch(/--redis-url string\s+.*\(default \$REDIS_URL, else /m);
    expect(up).toMatch(/--nats-url string\s+.*\(default \$NATS_URL, else /m);
    expect(up).toMatch(/--port int\s+port of the first api-server/m);
    expect(helpText('down')).toMatch(/^ {6}--keep-data\s+stop the processes/m);
    expect(helpText('status')).toMatch(/--name string\s+cluster name \(default every cluster\)$/m);
    expect(helpText('kubeconfig')).toMatch(/--name string\s+cluster name \(default "kubeling"\)$/m);
  });
});

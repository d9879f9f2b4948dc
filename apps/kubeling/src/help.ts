/** `kubeling --help` and `kubeling <command> --help`, built from the flag table in flags.ts. */
import type { CommandName } from './flags';
import { COMMAND_FLAGS } from './flags';

const SUMMARIES: Record<CommandName, string> = {
  up: 'Start a local cluster: its components run as background processes',
  down: 'Stop a cluster, delete its Redis keys and its state directory',
  status: 'Show the processes of one cluster, or of every cluster',
  kubeconfig: "Print a cluster's kubeconfig",
};

export function helpText(topic?: CommandName): string {
  if (topic === undefined) {
    const width = Math.max(...Object.keys(SUMMARIES).map((k) => k.length)) + 3;
    return [
      'kubeling runs a Kubernetes-compatible control plane on this machine, one process per component.',
      '',
      'Usage:',
      '  kubeling <command> [flags]',
      '',
      'Commands:',
      ...Object.entries(SUMMARIES).map(([k, v]) => `  ${k.padEnd(width)}${v}`),
      '',
      'Flags:',
      '  -h, --help   help for kubeling',
      '',
      'State lives in ${KUBELING_HOME:-~/.kubeling}/<cluster name>/.',
      'Use "kubeling <command> --help" for more information about a command.',
    ].join('\n');
  }
  const flags = Object.entries(COMMAND_FLAGS[topic]).map(([flag, spec]) => {
    const left = `      --${flag}${spec.type === 'string' ? ` ${spec.value ?? 'string'}` : ''}`;
    const def = spec.default === undefined ? '' : ` (default ${spec.default})`;
    return [left, `${spec.description}${def}`] as const;
  });
  flags.push(['  -h, --help', 'help for ' + topic]);
  const width = Math.max(...flags.map(([l]) => l.length)) + 3;
  return [
    SUMMARIES[topic],
    '',
    'Usage:',
    `  kubeling ${topic} [flags]`,
    '',
    'Flags:',
    ...flags.map(([l, r]) => `${l.padEnd(width)}${r}`),
  ].join('\n');
}

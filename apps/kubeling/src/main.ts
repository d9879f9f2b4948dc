/**
 * The `kubeling` command (bin/kubeling.js loads this file through tsx).
 *
 *   kubeling up [--name N] [--nodes K] [--runtime process|sim] [--api-servers N] [--port P]
 *   kubeling status [--name N]
 *   kubeling kubeconfig [--name N]
 *   kubeling down [--name N] [--keep-data]
 *
 * See docs/kubeling-cli.md.
 */
import { runCli } from './cli';
import { defaultContext } from './context';
import { processIo } from './errors';

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, defaultContext(processIo));
}

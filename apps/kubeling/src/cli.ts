/** Runs one parsed command; turns CliErrors into `ERROR: ...` and exit code 1. */
import { down } from './commands/down';
import { kubeconfig } from './commands/kubeconfig';
import { status } from './commands/status';
import { up } from './commands/up';
import type { CommandContext } from './context';
import { CliError } from './errors';
import { parseCommand } from './flags';
import { helpText } from './help';

export async function runCli(argv: readonly string[], ctx: CommandContext): Promise<number> {
  try {
    const cmd = parseCommand(argv, ctx.env);
    switch (cmd.kind) {
      case 'help':
        ctx.io.out(helpText(cmd.topic));
        return 0;
      case 'up':
        return await up(cmd.options, ctx);
      case 'down':
        return await down(cmd.name, ctx, { keepData: cmd.keepData === true });
      case 'status':
        return await status(cmd.name, ctx);
      case 'kubeconfig':
        return kubeconfig(cmd.name, ctx);
    }
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    ctx.io.err(`ERROR: ${err.message}`);
    if (err.hint !== undefined) ctx.io.err(err.hint);
    return 1;
  }
}

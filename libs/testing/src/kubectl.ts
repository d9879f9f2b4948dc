/**
 * The real `kubectl` (the one on PATH) against a test cluster. Each call gets its own
 * KUBECACHEDIR, because kubectl caches discovery per host:port and a port reused by a later
 * cluster must never see an earlier cluster's resources; the user's KUBECONFIG is never used.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProcess } from './run';
import type { RunResult } from './run';

export interface KubectlOptions {
  kubeconfig: string;
  stdin?: string;
  /** Default 30 s; kubectl (and anything it started) is killed then, and timedOut is set. */
  timeoutMs?: number;
}

export async function kubectl(args: readonly string[], opts: KubectlOptions): Promise<RunResult> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-kubectl-cache-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KUBECONFIG: opts.kubeconfig,
    KUBECACHEDIR: cacheDir,
  };
  try {
    return await runProcess('kubectl', args, {
      env,
      timeoutMs: opts.timeoutMs ?? 30_000,
      ...(opts.stdin === undefined ? {} : { stdin: opts.stdin }),
    });
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

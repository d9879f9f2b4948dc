/** What every command gets: where to write, where state lives, how to start a component. */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComponentSpec } from './components';
import { COMPONENTS } from './components';
import type { Io } from './errors';
import { kubelingHome } from './state';

export interface CommandContext {
  io: Io;
  /** Environment handed to the components. */
  env: NodeJS.ProcessEnv;
  /** KUBELING_HOME: one sub-directory per cluster. */
  home: string;
  /** Workspace root: components run with it as cwd (tsx reads tsconfig.json paths from there). */
  root: string;
  components: readonly ComponentSpec[];
  /** The node executable and its flags; the entry file and component flags follow. */
  runner: readonly string[];
  /** How long `up` waits for an instance to be ready (30 s). */
  readyTimeoutMs: number;
  /** How long `down` waits after SIGTERM before SIGKILL (10 s). */
  stopGraceMs: number;
  /**
   * Searched after PATH for redis-server and nats-server (default SBIN_DIRS in localServers.ts);
   * a test empties it to play a machine without them.
   */
  sbinDirs?: readonly string[];
}

export const READY_TIMEOUT_MS = 30_000;
export const STOP_GRACE_MS = 10_000;

/** The directory holding the root package.json (the one declaring npm workspaces). */
export function findWorkspaceRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { workspaces?: unknown };
      if (json.workspaces !== undefined) return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no workspace root above ${from}`);
  }
}

/**
 * `node --import <absolute file URL of tsx's loader>`: absolute, so the components run the
 * same whatever the caller's working directory is.
 */
export function tsxRunner(root: string): string[] {
  const loader = createRequire(path.join(root, 'package.json')).resolve('tsx');
  return [process.execPath, '--import', pathToFileURL(loader).href];
}

export function defaultContext(io: Io, env: NodeJS.ProcessEnv = process.env): CommandContext {
  const root = findWorkspaceRoot(__dirname);
  return {
    io,
    env,
    home: kubelingHome(env),
    root,
    components: COMPONENTS,
    runner: tsxRunner(root),
    readyTimeoutMs: READY_TIMEOUT_MS,
    stopGraceMs: STOP_GRACE_MS,
  };
}

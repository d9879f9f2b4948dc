/**
 * The process runtime: a container is a process group on this machine, started through
 * wrapper.sh (the shim) so it survives a kubelet restart and logs in CRI format.
 *
 * Isolation, honestly: when the kubelet may create namespaces (root, `unshare` present), each
 * container gets its own mount and UTS namespace — its volumes bind-mounted at their
 * mountPath (subPath, readOnly), its own /etc/hosts and /etc/resolv.conf, the pod's name as
 * hostname — and `kubectl exec`, probes and hooks enter them with nsenter. There is no network
 * namespace: a pod's IP is a loopback address (127.244.<node>.<n>) that every process of the
 * machine reaches, containers of a pod share it, but `localhost` is the machine's. Without
 * privileges, volumes are symlinks in the container's working directory (mountPath made
 * relative) and `$KUBELING_ROOT` names that directory; the hostname is the machine's.
 *
 * On disk, under --root-dir/<node>:
 *   pods/<uid>/pod.json                    what runs (pids, ids, restart counts): adoption
 *   pods/<uid>/volumes/<name>/             the pod's volumes
 *   pods/<uid>/<container>/                hosts, resolv.conf, setup script, exit codes
 *   logs/<ns>_<name>_<uid>/<container>/<restartCount>.log   CRI log files (as /var/log/pods)
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ContainerImage, HTTPGetAction, LifecycleHandler, Pod, Probe } from '@kubeling/api';
import { badRequest, notFound, value } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import type { Logger } from '@kubeling/runtime';
import type {
  ExecOptions,
  LogOptions,
  PodRef,
  ProcessStreams,
  StreamingRuntime,
} from '../../server/streamingRuntime';
import type {
  ActionResult,
  AdoptedPod,
  ContainerContext,
  ContainerExit,
  ContainerRuntime,
  RunningContainer,
} from '../runtime';
import { ContainerStartError } from '../runtime';
import { containerEnv, expand } from './env';
import type { ImageCatalogue } from './images/catalogue';
import { readLog } from './logs';
import { setUpVolumes } from './volumes';

const WRAPPER = path.join(__dirname, 'wrapper.sh');

export interface ContainerRecord {
  id: string;
  pid: number;
  startedAt: number;
  restartCount: number;
  logPath: string;
  exitFile: string;
  env: Record<string, string>;
  cwd: string;
  namespaced: boolean;
  stdinFifo?: string;
}

interface PodRecord {
  uid: string;
  namespace: string;
  name: string;
  podIP: string;
  nodeName: string;
  containers: Record<string, ContainerRecord>;
  /** Mount points the kubelet created on the host (removed with the sandbox). */
  createdDirs: string[];
}

export interface ProcessRuntimeOptions {
  client: Client;
  log: Logger;
  /** This node's directory (--root-dir/<node>). */
  rootDir: string;
  catalogue: ImageCatalogue;
  lookupPod(namespace: string, name: string): Pod | undefined;
  /** Use mount/UTS namespaces; default: when root and unshare exists. */
  namespaces?: boolean;
}

function which(cmd: string, envPath: string): string | undefined {
  if (cmd.includes('/')) return fs.existsSync(cmd) ? cmd : undefined;
  for (const dir of envPath.split(':')) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The resident memory of a process and its descendants, in bytes. */
function treeRss(pid: number): number {
  let total = 0;
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    try {
      const statm = fs.readFileSync(`/proc/${p}/statm`, 'utf8').split(' ');
      total += Number(statm[1] ?? 0) * 4096;
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        const kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) for (const k of kids.split(/\s+/)) stack.push(Number(k));
      }
    } catch {
      // gone
    }
  }
  return total;
}

/** Root with unshare/nsenter, and the kernel lets us (a container without CAP_SYS_ADMIN does not). */
function canUseNamespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  if (!which('unshare', process.env.PATH ?? '') || !which('nsenter', process.env.PATH ?? ''))
    return false;
  return (
    spawnSync('unshare', ['--mount', '--uts', '--propagation', 'private', 'true']).status === 0
  );
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  readonly version = 'kubeling-process://0.1.0';
  private readonly pods = new Map<string, PodRecord>();
  private readonly used = new Set<string>();
  private readonly exits = new Map<string, Promise<ContainerExit>>();
  private readonly namespaced: boolean;

  constructor(private readonly opts: ProcessRuntimeOptions) {
    this.namespaced = opts.namespaces ?? canUseNamespaces();
    fs.mkdirSync(path.join(opts.rootDir, 'pods'), { recursive: true });
    fs.mkdirSync(path.join(opts.rootDir, 'logs'), { recursive: true });
    if (!this.namespaced)
      opts.log.info(
        'containers run without mount namespaces (--container-namespaces=false, or the kubelet is not root, lacks unshare/nsenter or may not use them): volumes appear under the container working directory ($KUBELING_ROOT), not at their mountPath; see docs/kubelet.md',
      );
    const start = Number(
      fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim() || '1024',
    );
    if (process.getuid?.() !== 0 && start > 80)
      opts.log.info(
        `the kubelet is not root and net.ipv4.ip_unprivileged_port_start=${start}: containers cannot listen on ports below ${start} (nginx, nginxdemos/hello on port 80 exit with "Permission denied" and go to CrashLoopBackOff); run as root or sysctl -w net.ipv4.ip_unprivileged_port_start=0`,
      );
  }

  private podDir(uid: string): string {
    return path.join(this.opts.rootDir, 'pods', uid);
  }

  private save(rec: PodRecord): void {
    const file = path.join(this.podDir(rec.uid), 'pod.json');
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(rec));
    fs.renameSync(`${file}.tmp`, file);
  }

  images(): ContainerImage[] {
    return [...this.used].sort().map((n) => ({ names: [n], sizeBytes: 0 }));
  }

  async pullImage(ctx: ContainerContext): Promise<void> {
    const image = ctx.container.image;
    if (!this.opts.catalogue.resolve(image))
      throw new ContainerStartError(
        'ErrImagePull',
        `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": the kubeling process runtime has no image "${image}" in its catalogue (docs/kubelet.md lists the images; --image-catalogue adds more)`,
      );
    this.used.add(image);
  }

  async createSandbox(pod: Pod, podIP: string, nodeName: string): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    let rec = this.pods.get(uid);
    if (!rec) {
      rec = {
        uid,
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name ?? '',
        podIP,
        nodeName,
        containers: {},
        createdDirs: [],
      };
      await fsp.mkdir(this.podDir(uid), { recursive: true });
      this.pods.set(uid, rec);
    }
    rec.podIP = podIP;
    this.save(rec);
  }

  private async volumeMounts(
    ctx: ContainerContext,
    rec: PodRecord,
    cdir: string,
    cwd: string,
  ): Promise<string[]> {
    const volumes = await setUpVolumes(
      {
        client: this.opts.client,
        pod: ctx.pod,
        podIP: ctx.podIP,
        nodeName: ctx.nodeName,
        nodeIP: ctx.nodeIP,
      },
      this.podDir(rec.uid),
    );
    const hostname = (ctx.pod.spec.hostname ?? ctx.pod.metadata.name ?? '').slice(0, 63);
    const ns = ctx.pod.metadata.namespace ?? 'default';
    const hosts = `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${ctx.podIP}\t${hostname}\n`;
    await fsp.writeFile(path.join(cdir, 'hosts'), hosts);
    const hostResolv = await fsp.readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    const nameservers = hostResolv
      .split('\n')
      .filter((l) => l.startsWith('nameserver'))
      .join('\n');
    await fsp.writeFile(
      path.join(cdir, 'resolv.conf'),
      `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\n${nameservers}\noptions ndots:5\n`,
    );
    const lines: string[] = [];
    if (this.namespaced) {
      lines.push(`hostname ${shq(hostname)}`);
      lines.push(`mount --bind ${shq(path.join(cdir, 'hosts'))} /etc/hosts`);
      if (fs.existsSync('/etc/resolv.conf'))
        lines.push(`mount --bind ${shq(path.join(cdir, 'resolv.conf'))} /etc/resolv.conf`);
    }
    for (const m of ctx.container.volumeMounts ?? []) {
      const src0 = volumes.get(m.name);
      if (!src0) continue;
      const sub = m.subPath ? path.join(src0, m.subPath) : src0;
      if (m.subPath && !fs.existsSync(sub)) await fsp.mkdir(sub, { recursive: true });
      if (this.namespaced) {
        const isFile = fs.statSync(sub).isFile();
        if (!fs.existsSync(m.mountPath)) {
          // A mount point must exist: create it, and remember to remove it with the pod.
          let p = isFile ? path.dirname(m.mountPath) : m.mountPath;
          const created: string[] = [];
          while (!fs.existsSync(p)) {
            created.push(p);
            p = path.dirname(p);
          }
          await fsp.mkdir(isFile ? path.dirname(m.mountPath) : m.mountPath, { recursive: true });
          if (isFile) await fsp.writeFile(m.mountPath, '');
          rec.createdDirs.push(...(isFile ? [m.mountPath] : []), ...created);
        }
        lines.push(`mount --bind ${shq(sub)} ${shq(m.mountPath)}`);
        if (m.readOnly) lines.push(`mount -o remount,bind,ro ${shq(m.mountPath)}`);
      } else {
        const link = path.join(cwd, m.mountPath.replace(/^\/+/, ''));
        await fsp.mkdir(path.dirname(link), { recursive: true });
        await fsp.rm(link, { force: true, recursive: false }).catch(() => undefined);
        await fsp.symlink(sub, link).catch(() => undefined);
      }
    }
    return lines;
  }

  async startContainer(ctx: ContainerContext): Promise<RunningContainer> {
    const uid = ctx.pod.metadata.uid ?? '';
    const rec = this.pods.get(uid);
    if (!rec) throw new ContainerStartError('CreateContainerError', 'pod sandbox not found');
    const c = ctx.container;
    const image = this.opts.catalogue.resolve(c.image);
    if (!image) throw new ContainerStartError('ErrImagePull', `image "${c.image}" not found`);
    const cdir = path.join(this.podDir(uid), c.name);
    await fsp.mkdir(cdir, { recursive: true });
    const root = path.join(cdir, 'root');
    await fsp.mkdir(root, { recursive: true });
    const cwd = c.workingDir ?? image.workingDir ?? (this.namespaced ? '/' : root);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: (ctx.pod.spec.hostname ?? ctx.pod.metadata.name ?? '').slice(0, 63),
      HOME: this.namespaced ? '/root' : root,
      ...(this.namespaced ? {} : { KUBELING_ROOT: root }),
      KUBELING_POD_IP: ctx.podIP,
      ...(image.env ?? {}),
      ...(await containerEnv({
        client: this.opts.client,
        pod: ctx.pod,
        container: c,
        podIP: ctx.podIP,
        nodeName: ctx.nodeName,
        nodeIP: ctx.nodeIP,
      })),
    };
    if (c.tty) env.TERM = 'xterm';
    const setupLines = await this.volumeMounts(ctx, rec, cdir, root);
    const entry = c.command ?? image.entrypoint ?? [];
    const args = c.args ?? (c.command ? [] : (image.cmd ?? []));
    const argv = [...entry, ...args].map((a) => expand(a, env));
    if (!argv.length)
      throw new ContainerStartError(
        'CreateContainerError',
        'Error: failed to generate container spec: no command specified',
      );
    const exe = which(argv[0]!, env.PATH ?? '');
    if (!exe)
      throw new ContainerStartError(
        'RunContainerError',
        `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`,
      );
    const id = crypto.randomBytes(32).toString('hex');
    const logDir = path.join(
      this.opts.rootDir,
      'logs',
      `${rec.namespace}_${rec.name}_${uid}`,
      c.name,
    );
    await fsp.mkdir(logDir, { recursive: true });
    const logPath = path.join(logDir, `${ctx.restartCount}.log`);
    const exitFile = path.join(cdir, `exit-${id.slice(0, 12)}`);
    let setup = '';
    if (setupLines.length) {
      setup = path.join(cdir, 'setup.sh');
      await fsp.writeFile(setup, setupLines.join('\n') + '\n');
    }
    let stdinFifo: string | undefined;
    if (c.stdin) {
      stdinFifo = path.join(cdir, 'stdin');
      await fsp.rm(stdinFifo, { force: true });
      await new Promise<void>((resolve, reject) =>
        spawn('mkfifo', [stdinFifo!]).on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error('mkfifo failed')),
        ),
      );
      env.KUBELING_STDIN = stdinFifo;
    }
    const wrapperArgs = [WRAPPER, id, logPath, exitFile, setup, cwd, '--', ...argv];
    const [cmd, ...cmdArgs] = this.namespaced
      ? ['unshare', '--mount', '--uts', '--propagation', 'private', '--', 'bash', ...wrapperArgs]
      : ['bash', ...wrapperArgs];
    const child = spawn(cmd!, cmdArgs, {
      env,
      cwd: this.namespaced ? '/' : root,
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const startedAt = Date.now();
    if (!child.pid)
      throw new ContainerStartError('RunContainerError', `failed to start ${argv[0]}`);
    child.unref();
    const crec: ContainerRecord = {
      id,
      pid: child.pid,
      startedAt,
      restartCount: ctx.restartCount,
      logPath,
      exitFile,
      env,
      cwd,
      namespaced: this.namespaced,
      ...(stdinFifo ? { stdinFifo } : {}),
    };
    rec.containers[c.name] = crec;
    this.save(rec);
    return this.handle(crec, child, this.memoryLimit(ctx));
  }

  private memoryLimit(ctx: ContainerContext): number | undefined {
    const l = ctx.container.resources?.limits?.memory;
    return l === undefined ? undefined : Number(value(String(l)));
  }

  /** The RunningContainer of a record: exit from the child, or by polling an adopted pid. */
  private handle(
    rec: ContainerRecord,
    child: ChildProcess | undefined,
    memoryLimit: number | undefined,
  ): RunningContainer {
    let oom = false;
    let killedBy: string | undefined;
    let resolve!: (e: ContainerExit) => void;
    const exited = new Promise<ContainerExit>((r) => (resolve = r));
    let poll: NodeJS.Timeout | undefined;
    let memTimer: NodeJS.Timeout | undefined;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearInterval(poll);
      clearInterval(memTimer);
      let exitCode = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 9) : 137);
      try {
        const t = fs.readFileSync(rec.exitFile, 'utf8').trim();
        if (t) exitCode = Number(t);
      } catch {
        // killed with the group before it could write (SIGKILL)
      }
      if (oom) exitCode = 137;
      resolve({
        exitCode,
        reason: oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
        finishedAt: Date.now(),
        ...(killedBy ? {} : {}),
      });
    };
    if (child) child.once('exit', finish);
    else
      poll = setInterval(() => {
        if (!alive(rec.pid)) finish(null, 'SIGKILL');
      }, 500).unref();
    if (memoryLimit !== undefined)
      memTimer = setInterval(() => {
        if (treeRss(rec.pid) > memoryLimit) {
          oom = true;
          try {
            process.kill(-rec.pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }, 250).unref();
    this.exits.set(rec.id, exited);
    return {
      id: `containerd://${rec.id}`,
      startedAt: rec.startedAt,
      pid: rec.pid,
      exited,
      stop: (graceMs, reason) => {
        killedBy = reason;
        try {
          process.kill(-rec.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const t = setTimeout(() => {
          try {
            process.kill(-rec.pid, 'SIGKILL');
          } catch {
            // gone
          }
        }, graceMs);
        void exited.then(() => clearTimeout(t));
        return exited;
      },
    };
  }

  /** Runs a command inside a container (probes, hooks, kubectl exec). */
  private spawnIn(rec: ContainerRecord, argv: string[], tty = false): ChildProcess {
    let cmd = argv;
    if (tty && which('script', process.env.PATH ?? ''))
      cmd = ['script', '-q', '-f', '-e', '-c', argv.map(shq).join(' '), '/dev/null'];
    const full = rec.namespaced
      ? ['nsenter', '-t', String(rec.pid), '-m', '-u', `--wd=${rec.cwd}`, '--', ...cmd]
      : cmd;
    return spawn(full[0]!, full.slice(1), {
      env: rec.env,
      cwd: rec.namespaced ? '/' : rec.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  private recordOf(ctx: ContainerContext): ContainerRecord | undefined {
    return this.pods.get(ctx.pod.metadata.uid ?? '')?.containers[ctx.container.name];
  }

  private async execAction(
    rec: ContainerRecord,
    command: string[],
    timeoutMs: number,
  ): Promise<ActionResult> {
    return new Promise((resolve) => {
      const child = this.spawnIn(rec, command);
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      child.stdin?.end();
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ ok: false, output: `command ${JSON.stringify(command.join(' '))} timed out` });
      }, timeoutMs || 1000);
      child.on('error', (e) => {
        clearTimeout(t);
        resolve({ ok: false, output: e.message });
      });
      child.on('exit', (code) => {
        clearTimeout(t);
        resolve({ ok: code === 0, output: out.trim() });
      });
    });
  }

  private portOf(ctx: ContainerContext, port: number | string | undefined): number {
    if (typeof port === 'number') return port;
    const named = ctx.container.ports?.find((p) => p.name === port);
    return named?.containerPort ?? Number(port);
  }

  private httpAction(
    ctx: ContainerContext,
    a: HTTPGetAction,
    timeoutMs: number,
  ): Promise<ActionResult> {
    const host = a.host || ctx.podIP;
    const port = this.portOf(ctx, a.port);
    const scheme = (a.scheme ?? 'HTTP').toLowerCase();
    const p = a.path ?? '/';
    const url = `${scheme}://${host}:${port}${p.startsWith('/') ? p : `/${p}`}`;
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
    for (const h of a.httpHeaders ?? []) if (h.name) headers[h.name] = h.value ?? '';
    return new Promise((resolve) => {
      const lib = scheme === 'https' ? https : http;
      const req = lib.get(
        url,
        { headers, timeout: timeoutMs, rejectUnauthorized: false },
        (res) => {
          res.resume();
          const code = res.statusCode ?? 0;
          resolve(
            code >= 200 && code < 400
              ? { ok: true, output: '' }
              : { ok: false, output: `HTTP probe failed with statuscode: ${code}` },
          );
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({
          ok: false,
          output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) =>
        resolve({
          ok: false,
          output: `Get "${url}": dial tcp ${host}:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`,
        }),
      );
    });
  }

  private tcpAction(
    ctx: ContainerContext,
    host: string | undefined,
    port0: number | string | undefined,
    timeoutMs: number,
  ): Promise<ActionResult> {
    const h = host || ctx.podIP;
    const port = this.portOf(ctx, port0);
    return new Promise((resolve) => {
      const s = net.connect({ host: h, port, timeout: timeoutMs });
      s.on('connect', () => {
        s.destroy();
        resolve({ ok: true, output: '' });
      });
      s.on('timeout', () => {
        s.destroy();
        resolve({ ok: false, output: `dial tcp ${h}:${port}: i/o timeout` });
      });
      s.on('error', (e: NodeJS.ErrnoException) =>
        resolve({
          ok: false,
          output: `dial tcp ${h}:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`,
        }),
      );
    });
  }

  async probe(ctx: ContainerContext, probe: Probe, timeoutMs: number): Promise<ActionResult> {
    if (probe.exec) {
      const rec = this.recordOf(ctx);
      if (!rec) return { ok: false, output: 'container not running' };
      return this.execAction(rec, probe.exec.command ?? [], timeoutMs);
    }
    if (probe.httpGet) return this.httpAction(ctx, probe.httpGet, timeoutMs);
    if (probe.tcpSocket)
      return this.tcpAction(ctx, probe.tcpSocket.host, probe.tcpSocket.port, timeoutMs);
    if (probe.grpc)
      return this.tcpAction(ctx, undefined, probe.grpc.port, timeoutMs).then((r) =>
        r.ok
          ? {
              ok: false,
              output:
                'grpc probes are not supported by the kubeling process runtime (the port accepts connections; the health service was not asked)',
            }
          : r,
      );
    return { ok: false, output: 'probe has no handler' };
  }

  async runHook(
    ctx: ContainerContext,
    h: LifecycleHandler,
    timeoutMs: number,
  ): Promise<ActionResult> {
    if (h.exec) {
      const rec = this.recordOf(ctx);
      if (!rec) return { ok: false, output: 'container not running' };
      const r = await this.execAction(rec, h.exec.command ?? [], timeoutMs);
      return r.ok
        ? r
        : {
            ok: false,
            output: `Exec lifecycle hook (${JSON.stringify(h.exec.command ?? [])}) for Container "${ctx.container.name}" in Pod "${ctx.pod.metadata.name ?? ''}_${ctx.pod.metadata.namespace ?? ''}(${ctx.pod.metadata.uid ?? ''})" failed - error: command '${(h.exec.command ?? []).join(' ')}' exited with 126: , message: "${r.output}"`,
          };
    }
    if (h.httpGet) return this.httpAction(ctx, h.httpGet, timeoutMs);
    if (h.tcpSocket) return this.tcpAction(ctx, h.tcpSocket.host, h.tcpSocket.port, timeoutMs);
    if (h.sleep) {
      await new Promise((r) => setTimeout(r, Math.min((h.sleep?.seconds ?? 0) * 1000, timeoutMs)));
      return { ok: true, output: '' };
    }
    return { ok: true, output: '' };
  }

  async removeSandbox(uid: string): Promise<void> {
    const rec = this.pods.get(uid) ?? this.readRecord(uid);
    this.pods.delete(uid);
    if (rec) {
      for (const d of [...rec.createdDirs].sort((a, b) => b.length - a.length))
        await fsp
          .rm(d, { recursive: false, force: true })
          .catch(() => fsp.rmdir(d).catch(() => undefined));
      await fsp.rm(path.join(this.opts.rootDir, 'logs', `${rec.namespace}_${rec.name}_${uid}`), {
        recursive: true,
        force: true,
      });
    }
    await fsp.rm(this.podDir(uid), { recursive: true, force: true });
  }

  private readRecord(uid: string): PodRecord | undefined {
    try {
      return JSON.parse(
        fs.readFileSync(path.join(this.podDir(uid), 'pod.json'), 'utf8'),
      ) as PodRecord;
    } catch {
      return undefined;
    }
  }

  async adopt(): Promise<AdoptedPod[]> {
    const out: AdoptedPod[] = [];
    for (const uid of await fsp
      .readdir(path.join(this.opts.rootDir, 'pods'))
      .catch(() => [] as string[])) {
      const rec = this.readRecord(uid);
      if (!rec) {
        await fsp.rm(this.podDir(uid), { recursive: true, force: true });
        continue;
      }
      this.pods.set(uid, rec);
      const containers: AdoptedPod['containers'] = [];
      for (const [name, c] of Object.entries(rec.containers)) {
        // The pid must still be our shim for this container (pids are reused).
        let cmdline = '';
        try {
          cmdline = fs.readFileSync(`/proc/${c.pid}/cmdline`, 'utf8');
        } catch {
          continue;
        }
        if (!cmdline.includes(c.id)) continue;
        containers.push({
          name,
          restartCount: c.restartCount,
          running: this.handle(c, undefined, undefined),
        });
      }
      out.push({ uid, podIP: rec.podIP, containers });
    }
    return out;
  }

  // --- streaming (the kubelet server's backend) ---

  private find(
    ref: PodRef,
    container: string,
  ): { pod: Pod; rec: PodRecord | undefined; crec: ContainerRecord | undefined } {
    const pod = this.opts.lookupPod(ref.namespace, ref.name);
    if (!pod || (ref.uid && pod.metadata.uid !== ref.uid))
      throw notFound({ group: '', resource: 'pods' }, ref.name);
    const names = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
    if (!names.includes(container))
      throw badRequest(`container ${container} is not valid for pod ${ref.name}`);
    const rec = this.pods.get(pod.metadata.uid ?? '');
    return { pod, rec, crec: rec?.containers[container] };
  }

  private waitingError(pod: Pod, container: string): never {
    const all = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    const s = all.find((x) => x.name === container);
    throw badRequest(
      `container "${container}" in pod "${pod.metadata.name ?? ''}" is waiting to start: ${s?.state?.waiting?.reason ?? 'ContainerCreating'}`,
    );
  }

  readonly streaming: StreamingRuntime = {
    logs: (ref, options, signal) => this.logs(ref, options, signal),
    exec: (ref, options, io) => this.exec(ref, options, io),
    attach: (ref, options, io) => this.attach(ref, options, io),
    portForward: (ref, port, signal) => this.portForward(ref, port, signal),
  };

  private logs(ref: PodRef, options: LogOptions, signal: AbortSignal): AsyncIterable<Buffer> {
    const { pod, crec } = this.find(ref, options.container);
    if (!crec) this.waitingError(pod, options.container);
    let file = crec.logPath;
    if (options.previous) {
      const prev = path.join(path.dirname(crec.logPath), `${crec.restartCount - 1}.log`);
      if (crec.restartCount === 0 || !fs.existsSync(prev))
        throw badRequest(
          `previous terminated container "${options.container}" in pod "${ref.name}" not found`,
        );
      file = prev;
    }
    const exited = this.exits.get(crec.id);
    let done = !alive(crec.pid) || options.previous;
    void exited?.then(() => (done = true));
    return readLog(file, options, signal, () => done);
  }

  private async exec(
    ref: PodRef,
    options: ExecOptions,
    io: ProcessStreams,
  ): Promise<{ exitCode: number }> {
    const { pod, crec } = this.find(ref, options.container);
    if (!crec || !alive(crec.pid)) this.waitingError(pod, options.container);
    const child = this.spawnIn(crec, options.command, options.tty);
    return new Promise((resolve) => {
      if (io.stdin && child.stdin) io.stdin.pipe(child.stdin);
      else child.stdin?.end();
      if (io.stdout) child.stdout?.pipe(io.stdout, { end: false });
      else child.stdout?.resume();
      const errOut = io.stderr ?? (options.tty ? io.stdout : undefined);
      if (errOut) child.stderr?.pipe(errOut, { end: false });
      else child.stderr?.resume();
      const onAbort = () => child.kill('SIGKILL');
      io.signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => {
        io.signal.removeEventListener('abort', onAbort);
        io.stderr?.write(`${e.message}\n`);
        resolve({ exitCode: 126 });
      });
      child.on('close', (code, sig) => {
        io.signal.removeEventListener('abort', onAbort);
        resolve({ exitCode: code ?? (sig ? 128 + (os.constants.signals[sig] ?? 9) : 1) });
      });
    });
  }

  private async attach(
    ref: PodRef,
    options: Omit<ExecOptions, 'command'>,
    io: ProcessStreams,
  ): Promise<{ exitCode: number }> {
    const { pod, crec } = this.find(ref, options.container);
    if (!crec || !alive(crec.pid)) this.waitingError(pod, options.container);
    const exited = this.exits.get(crec.id);
    if (io.stdin && crec.stdinFifo) {
      const w = fs.createWriteStream(crec.stdinFifo, { flags: 'r+' });
      io.stdin.pipe(w);
      void exited?.then(() => w.destroy());
    }
    const ac = new AbortController();
    io.signal.addEventListener('abort', () => ac.abort(), { once: true });
    let done = false;
    void exited?.then(() => (done = true));
    const out = readLog(
      crec.logPath,
      {
        container: options.container,
        follow: true,
        previous: false,
        timestamps: false,
        tailLines: 0,
      },
      ac.signal,
      () => done,
    );
    for await (const chunk of out) io.stdout?.write(chunk);
    const exit = exited
      ? await Promise.race([
          exited,
          new Promise<undefined>((r) => io.signal.addEventListener('abort', () => r(undefined))),
        ])
      : undefined;
    return { exitCode: exit?.exitCode ?? 0 };
  }

  private async portForward(ref: PodRef, port: number, signal: AbortSignal): Promise<net.Socket> {
    const pod = this.opts.lookupPod(ref.namespace, ref.name);
    if (!pod || (ref.uid && pod.metadata.uid !== ref.uid))
      throw notFound({ group: '', resource: 'pods' }, ref.name);
    const ip = this.pods.get(pod.metadata.uid ?? '')?.podIP ?? pod.status?.podIP;
    if (!ip) throw badRequest(`pod ${ref.name} does not have a host assigned`);
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: ip, port });
      const onAbort = () => s.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      s.once('connect', () => resolve(s));
      s.once('error', (e) =>
        reject(
          badRequest(
            `error forwarding port ${port} to pod ${pod.metadata.uid ?? ''}, uid : failed to execute portforward in network namespace "${ip}": failed to connect to localhost:${port} inside namespace "${ip}", IPv4: dial tcp4 ${ip}:${port}: connect: ${(e as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'connection refused' : e.message}`,
          ),
        ),
      );
    });
  }
}

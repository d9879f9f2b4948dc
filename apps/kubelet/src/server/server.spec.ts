/**
 * The kubelet server over real sockets, with a runtime of real host processes: logs over HTTP,
 * exec/attach over WebSocket channels, port-forward over SPDY tunnelled in WebSocket (a client
 * built from ./spdy, compressing its headers with real zlib as Go does).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { Channel } from './channels';
import type { KubeletServer } from './server';
import { serveKubelet } from './server';
import type { Frame } from './spdy';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  HeaderCompressor,
  HeaderInflater,
  dataFrame,
  parseStreamHeaders,
  ping,
  synStream,
} from './spdy';
import type {
  ExecOptions,
  ProcessStreams,
  StreamingRuntime,
  TerminalSize,
} from './streamingRuntime';
import { HostRuntime } from './testing/hostRuntime';

const quiet = { info: () => undefined, error: () => undefined };
const runtime = new HostRuntime();
let kubelet: KubeletServer;
let echo: net.Server;
let echoPort: number;

beforeAll(async () => {
  kubelet = await serveKubelet({ runtime, bindAddress: '127.0.0.1', port: 0, log: quiet });
  runtime.addPod({ namespace: 'ns', name: 'p', containers: [{ name: 'c' }] });
  runtime.appendLog('ns', 'p', 'c', 'a\nb\nc\n');
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as AddressInfo).port;
});

afterAll(async () => {
  runtime.stop();
  await kubelet.close();
  await new Promise<void>((r) => echo.close(() => r()));
});

async function get(path: string): Promise<{ code: number; body: string; type: string }> {
  const r = await fetch(kubelet.url + path);
  return { code: r.status, body: await r.text(), type: r.headers.get('content-type') ?? '' };
}

describe('GET /containerLogs', () => {
  it('streams the log as text/plain, with tailLines and limitBytes', async () => {
    expect(await get('/healthz')).toMatchObject({ code: 200, body: 'ok' });
    expect(await get('/containerLogs/ns/p/c')).toMatchObject({
      code: 200,
      body: 'a\nb\nc\n',
      type: 'text/plain',
    });
    expect((await get('/containerLogs/ns/p/c?tailLines=2')).body).toBe('b\nc\n');
    expect((await get('/containerLogs/ns/p/c?limitBytes=3')).body).toBe('a\nb');
  });

  it('answers errors as plain text with the runtime error code', async () => {
    expect(await get('/containerLogs/ns/missing/c')).toMatchObject({
      code: 404,
      body: 'pods "missing" not found',
    });
    expect(await get('/containerLogs/ns/p/x')).toMatchObject({
      code: 400,
      body: 'container x is not valid for pod p',
    });
    expect(await get('/containerLogs/ns/p/c?tailLines=-1')).toMatchObject({ code: 400 });
    expect(
      await get('/containerLogs/ns/p/c?sinceSeconds=5&sinceTime=2020-01-01T00:00:00Z'),
    ).toMatchObject({
      code: 400,
      body: 'at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
    expect((await get('/nope/ns/p')).code).toBe(404);
    expect(await get('/exec/ns/p/c?command=true')).toMatchObject({
      code: 400,
      body: 'Upgrade request required',
    });
  });
});

interface ExecResult {
  stdout: string;
  stderr: string;
  status: Record<string, unknown> | undefined;
  closeCode: number;
}

/** A remotecommand client: sends `stdin` then the v5 close signal, collects the channels. */
function remoteCommand(
  path: string,
  opts: { protocol?: string; stdin?: string; before?: (ws: WebSocket) => void } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(kubelet.url.replace('http', 'ws') + path, [
      opts.protocol ?? 'v5.channel.k8s.io',
    ]);
    const out: ExecResult = { stdout: '', stderr: '', status: undefined, closeCode: 0 };
    ws.on('open', () => {
      opts.before?.(ws);
      if (opts.stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([Channel.stdin]), Buffer.from(opts.stdin)]));
        ws.send(Buffer.from([Channel.close, Channel.stdin]));
      }
    });
    ws.on('message', (m: Buffer) => {
      const data = m.subarray(1).toString();
      if (m[0] === Channel.stdout) out.stdout += data;
      else if (m[0] === Channel.stderr) out.stderr += data;
      else if (m[0] === Channel.error) out.status = JSON.parse(data) as Record<string, unknown>;
    });
    ws.on('close', (code) => resolve({ ...out, closeCode: code }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new Error(`${res.statusCode}: ${body}`)));
    });
    ws.on('error', reject);
  });
}

const cmd = (...args: string[]) => args.map((a) => `command=${encodeURIComponent(a)}`).join('&');

describe('exec over v5.channel.k8s.io', () => {
  it('relays stdout and stderr and ends with the NonZeroExitCode status', async () => {
    const r = await remoteCommand(
      `/exec/ns/p/c?${cmd('sh', '-c', 'echo out; echo err >&2; exit 7')}&stdout=1&stderr=1`,
    );
    expect(r).toMatchObject({ stdout: 'out\n', stderr: 'err\n', closeCode: 1000 });
    expect(r.status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('Success for exit 0; stdin until the close signal', async () => {
    const r = await remoteCommand(`/exec/ns/p/c?${cmd('cat')}&stdin=1&stdout=1`, {
      stdin: 'x'.repeat(100_000),
    });
    expect(r.stdout).toBe('x'.repeat(100_000));
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('v4 works too (no close channel: stdin ends with the connection)', async () => {
    const r = await remoteCommand(`/exec/ns/p/c?${cmd('echo', 'v4')}&stdout=1`, {
      protocol: 'v4.channel.k8s.io',
    });
    expect(r).toMatchObject({ stdout: 'v4\n', status: { status: 'Success' } });
  });

  it('a command that cannot start is an InternalError status', async () => {
    const r = await remoteCommand(`/exec/ns/p/c?${cmd('/no/such/binary')}&stdout=1`);
    expect(r.status).toMatchObject({ status: 'Failure', reason: 'InternalError' });
    expect(String(r.status?.message)).toContain('error executing command in container');
  });

  it('refuses bad requests before upgrading, with upstream text', async () => {
    await expect(remoteCommand(`/exec/ns/p/c?${cmd('true')}`)).rejects.toThrow(
      '400: you must specify at least 1 of stdin, stdout, stderr',
    );
    await expect(remoteCommand(`/exec/ns/p/c?stdout=1`)).rejects.toThrow(/at least one command/);
    await expect(
      remoteCommand(`/exec/ns/p/c?${cmd('true')}&stdout=1`, { protocol: 'channel.k8s.io' }),
    ).rejects.toThrow(/unsupported protocol/);
  });

  it('the runtime error of an unknown pod arrives as a Failure status', async () => {
    const r = await remoteCommand(`/exec/ns/missing/c?${cmd('true')}&stdout=1`);
    expect(r.status).toMatchObject({ status: 'Failure', reason: 'NotFound' });
  });
});

describe('tty and resize', () => {
  it('passes resize messages to the runtime and merges stderr into stdout', async () => {
    const sizes: TerminalSize[] = [];
    let seen: ExecOptions | undefined;
    const fake: StreamingRuntime = {
      ...runtime,
      logs: runtime.logs.bind(runtime),
      attach: runtime.attach.bind(runtime),
      portForward: runtime.portForward.bind(runtime),
      async exec(_pod, options, io: ProcessStreams) {
        seen = options;
        for await (const s of io.resize ?? []) {
          sizes.push(s);
          if (sizes.length === 2) break;
        }
        io.stdout?.write('resized\n');
        return { exitCode: 0 };
      },
    };
    const server = await serveKubelet({
      runtime: fake,
      bindAddress: '127.0.0.1',
      port: 0,
      log: quiet,
    });
    try {
      const ws = new WebSocket(
        `${server.url.replace('http', 'ws')}/exec/ns/p/c?command=sh&stdin=1&stdout=1&stderr=1&tty=1`,
        ['v5.channel.k8s.io'],
      );
      let stdout = '';
      ws.on('open', () => {
        ws.send(
          Buffer.concat([Buffer.from([Channel.resize]), Buffer.from('{"Width":80,"Height":24}')]),
        );
        ws.send(
          Buffer.concat([Buffer.from([Channel.resize]), Buffer.from('{"Width":100,"Height":30}')]),
        );
      });
      ws.on('message', (m: Buffer) => {
        if (m[0] === Channel.stdout) stdout += m.subarray(1).toString();
      });
      await new Promise((r) => ws.on('close', r));
      expect(sizes).toEqual([
        { width: 80, height: 24 },
        { width: 100, height: 30 },
      ]);
      expect(stdout).toBe('resized\n');
      expect(seen).toMatchObject({ tty: true, stdin: true, stdout: true, stderr: false });
    } finally {
      await server.close();
    }
  });
});

/**
 * A minimal WebSocket client (masked binary frames out, unfragmented frames in): `ws` refuses
 * the subprotocol `SPDY/3.1+portforward.k8s.io` ('/' is not a token character), Go does not.
 */
function tunnel(
  path: string,
): Promise<{ send(b: Buffer): void; on(f: (b: Buffer) => void): void; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.request(kubelet.url + path, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io',
      },
    });
    req.on('upgrade', (res: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      expect(res.headers['sec-websocket-protocol']).toBe('SPDY/3.1+portforward.k8s.io');
      let buf = head;
      const listeners: ((b: Buffer) => void)[] = [];
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          if (buf.length < 2) return;
          let len = (buf[1] as number) & 0x7f;
          let off = 2;
          if (len === 126) {
            if (buf.length < 4) return;
            len = buf.readUInt16BE(2);
            off = 4;
          } else if (len === 127) {
            if (buf.length < 10) return;
            len = Number(buf.readBigUInt64BE(2));
            off = 10;
          }
          if (buf.length < off + len) return;
          const opcode = (buf[0] as number) & 0x0f;
          const payload = buf.subarray(off, off + len);
          buf = buf.subarray(off + len);
          if (opcode === 2) for (const l of listeners) l(payload);
        }
      });
      resolve({
        send(b: Buffer) {
          const mask = Buffer.from([1, 2, 3, 4]);
          const head =
            b.length < 126
              ? Buffer.from([0x82, 0x80 | b.length])
              : Buffer.from([0x82, 0x80 | 126, b.length >> 8, b.length & 0xff]);
          const body = Buffer.from(b.map((x, i) => x ^ (mask[i % 4] as number)));
          socket.write(Buffer.concat([head, mask, body]));
        },
        on: (f) => listeners.push(f),
        close: () => socket.destroy(),
      });
    });
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

/** A port-forward client over the WebSocket tunnel, speaking SPDY as spdystream does. */
class PortForwardClient {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderInflater();
  private readonly compressor = new HeaderCompressor();
  readonly frames: Frame[] = [];
  private readonly waiters: (() => void)[] = [];
  constructor(readonly ws: Awaited<ReturnType<typeof tunnel>>) {
    ws.on((m: Buffer) => {
      this.frames.push(...this.parser.push(m));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(path: string): Promise<PortForwardClient> {
    return new PortForwardClient(await tunnel(path));
  }
  async open(id: number, type: 'error' | 'data', port: number, requestId: string): Promise<void> {
    const block = await this.compressor.encode({
      streamtype: [type],
      port: [String(port)],
      requestid: [requestId],
    });
    this.ws.send(synStream(id, block));
    if (type === 'error') this.ws.send(dataFrame(id, Buffer.alloc(0), true));
  }
  async until(pred: (frames: Frame[]) => boolean): Promise<void> {
    while (!pred(this.frames)) await new Promise<void>((r) => this.waiters.push(r));
  }
  dataOf(streamId: number): { text: string; fin: boolean } {
    let text = '';
    let fin = false;
    for (const f of this.frames)
      if (f.kind === 'data' && f.streamId === streamId) {
        text += f.data.toString();
        if (f.flags & FLAG_FIN) fin = true;
      }
    return { text, fin };
  }
  async replies(): Promise<number[]> {
    const ids = [];
    for (const f of this.frames)
      if (f.kind === 'control' && f.type === ControlType.SynReply) {
        const { streamId, headerBlock } = parseStreamHeaders(f.payload);
        expect(await this.inflater.decode(headerBlock)).toEqual({});
        ids.push(streamId);
      }
    return ids;
  }
  close(): void {
    this.ws.close();
    this.compressor.close();
    this.inflater.close();
  }
}

describe('port-forward over SPDY/3.1 in WebSocket', () => {
  it('replies to each stream, copies bytes both ways, ends with FIN; concurrent pairs', async () => {
    const c = await PortForwardClient.open('/portForward/ns/p');
    try {
      await c.open(1, 'error', echoPort, '0');
      await c.open(3, 'data', echoPort, '0');
      await c.open(5, 'error', echoPort, '1');
      await c.open(7, 'data', echoPort, '1');
      await c.until(
        (f) =>
          f.filter((x) => x.kind === 'control' && x.type === ControlType.SynReply).length === 4,
      );
      expect(await c.replies()).toEqual([1, 3, 5, 7]);
      c.ws.send(dataFrame(3, Buffer.from('hello ')));
      c.ws.send(dataFrame(7, Buffer.from('other')));
      c.ws.send(dataFrame(3, Buffer.from('world'), true));
      c.ws.send(dataFrame(7, Buffer.alloc(0), true));
      await c.until(() => c.dataOf(3).fin && c.dataOf(7).fin && c.dataOf(1).fin);
      expect(c.dataOf(3)).toEqual({ text: 'hello world', fin: true });
      expect(c.dataOf(7)).toEqual({ text: 'other', fin: true });
      expect(c.dataOf(1)).toEqual({ text: '', fin: true });
      c.ws.send(ping(1));
      await c.until((f) => f.some((x) => x.kind === 'control' && x.type === ControlType.Ping));
    } finally {
      c.close();
    }
  });

  it('reports a refused port on the error stream', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = await PortForwardClient.open('/portForward/ns/p');
    try {
      await c.open(1, 'error', port, '0');
      await c.open(3, 'data', port, '0');
      await c.until(() => c.dataOf(1).fin);
      expect(c.dataOf(1).text).toMatch(
        new RegExp(`^error forwarding port ${port} to pod p, uid : connect ECONNREFUSED`),
      );
    } finally {
      c.close();
    }
  });

  it('refuses an upgrade without the tunnelling protocol', async () => {
    const r = await new Promise<number | undefined>((resolve) => {
      const ws = new WebSocket(kubelet.url.replace('http', 'ws') + '/portForward/ns/p', [
        'v4.channel.k8s.io',
      ]);
      ws.on('unexpected-response', (_req, res: http.IncomingMessage) => resolve(res.statusCode));
      ws.on('error', () => resolve(undefined));
    });
    expect(r).toBe(400);
  });
});

describe('port-forward over v4.channel.k8s.io (client libraries)', () => {
  it('announces the port on both channels, then copies bytes written before the dial', async () => {
    const ws = new WebSocket(
      `${kubelet.url.replace('http', 'ws')}/portForward/ns/p?ports=${echoPort}`,
      ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
    );
    const got: Buffer[] = [];
    ws.on('open', () => {
      expect(ws.protocol).toBe('v4.channel.k8s.io');
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('echo me')]));
    });
    await new Promise<void>((resolve) =>
      ws.on('message', (m: Buffer) => {
        got.push(m);
        if (Buffer.concat(got.filter((g) => g[0] === 0).map((g) => g.subarray(1))).length >= 9)
          resolve();
      }),
    );
    const port = Buffer.alloc(2);
    port.writeUInt16LE(echoPort);
    const ch0 = got.filter((g) => g[0] === 0).map((g) => g.subarray(1));
    expect(Buffer.concat(ch0)).toEqual(Buffer.concat([port, Buffer.from('echo me')]));
    expect(got.find((g) => g[0] === 1)?.subarray(1)).toEqual(port);
    ws.close();
  });

  it('needs the ports in the query', async () => {
    const code = await new Promise<number | undefined>((resolve) => {
      const ws = new WebSocket(`${kubelet.url.replace('http', 'ws')}/portForward/ns/p`, [
        'v4.channel.k8s.io',
      ]);
      ws.on('unexpected-response', (_req, res: http.IncomingMessage) => resolve(res.statusCode));
      ws.on('error', () => resolve(undefined));
    });
    expect(code).toBe(400);
  });
});

describe('one server for several nodes', () => {
  it('picks the runtime named by X-Kubeling-Node; an unknown node is a 404', async () => {
    const other = new HostRuntime();
    other.addPod({ namespace: 'ns', name: 'p', containers: [{ name: 'c' }] });
    other.appendLog('ns', 'p', 'c', 'from node-b\n');
    const byNode: Record<string, StreamingRuntime> = { 'node-a': runtime, 'node-b': other };
    const server = await serveKubelet({
      runtime: (node) => byNode[node],
      bindAddress: '127.0.0.1',
      port: 0,
      log: quiet,
    });
    try {
      const logOf = async (node: string) => {
        const r = await fetch(`${server.url}/containerLogs/ns/p/c`, {
          headers: { 'X-Kubeling-Node': node },
        });
        return { code: r.status, body: await r.text() };
      };
      expect(await logOf('node-a')).toEqual({ code: 200, body: 'a\nb\nc\n' });
      expect(await logOf('node-b')).toEqual({ code: 200, body: 'from node-b\n' });
      expect(await logOf('node-c')).toEqual({ code: 404, body: 'node not found' });
    } finally {
      other.stop();
      await server.close();
    }
  });
});

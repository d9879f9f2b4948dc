/**
 * Port-forward over the WebSocket channel protocol (`v4.channel.k8s.io`, or the unversioned
 * `channel.k8s.io`): what @kubernetes/client-node and other WebSocket clients speak, one
 * WebSocket per forwarded connection, the ports in the query (`?ports=8080`).
 *
 * For the i-th port, channel 2i carries data and 2i+1 errors; the server starts each channel
 * with the port as a little-endian uint16 (upstream's kubelet does the same), then copies bytes.
 * The WebSocket closes when every port's connection has ended.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { encodeChannelMessage } from './channels';
import type { PodRef, StreamingRuntime } from './streamingRuntime';

export const portForwardChannelProtocols = ['v4.channel.k8s.io', 'channel.k8s.io'] as const;

/** `ports=80&ports=81` or `ports=80,81`; undefined when one is not a port. */
export function parsePorts(q: URLSearchParams): number[] | string {
  const ports: number[] = [];
  for (const v of q.getAll('ports'))
    for (const p of v.split(',')) {
      const t = p.trim();
      if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 65535)
        return `invalid port value ${JSON.stringify(t)}`;
      ports.push(Number(t));
    }
  if (!ports.length) return 'query parameter "port" is required';
  return ports;
}

export function servePortForwardChannels(
  ws: WebSocket,
  runtime: StreamingRuntime,
  pod: PodRef,
  ports: number[],
): void {
  const abort = new AbortController();
  const sockets: (Socket | undefined)[] = [];
  // What the client wrote before its port's dial completed (it may write at once).
  const pending: Buffer[][] = ports.map(() => []);
  let open = ports.length;
  const send = (channel: number, data: Buffer, done?: () => void) => {
    if (ws.readyState !== ws.OPEN) return done?.();
    ws.send(encodeChannelMessage(channel, data), { binary: true }, () => done?.());
  };
  const ended = () => {
    if (--open === 0) ws.close(1000);
  };
  ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    runtime.portForward(pod, port, abort.signal).then(
      (socket) => {
        sockets[i] = socket;
        for (const b of pending[i] ?? []) socket.write(b);
        pending[i] = [];
        socket.on('data', (chunk: Buffer) => {
          socket.pause();
          send(2 * i, chunk, () => socket.resume());
        });
        socket.on('error', (e) => {
          send(
            2 * i + 1,
            Buffer.from(`error forwarding port ${port} to pod ${pod.name}: ${e.message}`),
          );
        });
        socket.on('close', ended);
      },
      (e: Error) => {
        send(
          2 * i + 1,
          Buffer.from(
            `error forwarding port ${port} to pod ${pod.name}, uid ${pod.uid ?? ''}: ${e.message}`,
          ),
        );
        ended();
      },
    );
  });
  ws.on('message', (raw: Buffer) => {
    if (raw.length === 0) return;
    const channel = raw[0] as number;
    // Only data channels carry client bytes; a client may write before the dial completed.
    if (channel % 2 !== 0 || channel / 2 >= ports.length) return;
    const socket = sockets[channel / 2];
    if (socket) socket.write(raw.subarray(1));
    else pending[channel / 2]?.push(Buffer.from(raw.subarray(1)));
  });
  ws.on('close', () => {
    abort.abort();
    for (const s of sockets) s?.destroy();
  });
}

/**
 * The remotecommand WebSocket channel protocol (k8s.io/apimachinery wsstream, KEP-4006) that
 * kubectl exec / attach / cp speak: every binary message starts with a channel byte.
 *
 *   0 stdin (client → server)    1 stdout    2 stderr    3 error: a metav1.Status as JSON
 *   4 resize: {"Width":W,"Height":H} (client → server)
 *   255 close (v5 only): [255, channel] — the client closed that channel (stdin EOF)
 *
 * The error channel carries exactly one Status at the end: Success, or Failure with reason
 * NonZeroExitCode and a cause {reason: "ExitCode", message: "<n>"} that kubectl turns into its
 * own exit code, or another Failure (kubectl prints its message and exits 1).
 */
import type { Status } from '@kubeling/api';

export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  error: 3,
  resize: 4,
  close: 255,
} as const;

/** Subprotocols we answer, best first. v4 is v5 without the close channel. */
export const remoteCommandProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type RemoteCommandProtocol = (typeof remoteCommandProtocols)[number];

/** Picks the first protocol the client offers that we speak (the client lists its preference). */
export function negotiateProtocol<P extends string>(
  offered: Iterable<string>,
  supported: readonly P[],
): P | undefined {
  for (const p of offered) {
    const hit = supported.find((s) => s === p.trim());
    if (hit) return hit;
  }
  return undefined;
}

export function encodeChannelMessage(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

export function decodeChannelMessage(msg: Buffer): { channel: number; data: Buffer } | undefined {
  if (msg.length === 0) return undefined;
  return { channel: msg[0] as number, data: msg.subarray(1) };
}

/** The status on the error channel is a bare metav1.Status: no kind/apiVersion, no code. */
export type StreamStatus = Pick<Status, 'status' | 'message' | 'reason' | 'details'> & {
  metadata: Record<string, never>;
};

export function successStatus(): StreamStatus {
  return { metadata: {}, status: 'Success' };
}

/** What the kubelet writes when the command ran and exited with a non-zero code. */
export function nonZeroExitStatus(command: string[], exitCode: number): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** Any other failure (the command could not start, the container is gone...). */
export function failureStatus(message: string, reason?: string): StreamStatus {
  const s: StreamStatus = { metadata: {}, status: 'Failure', message };
  if (reason) s.reason = reason;
  return s;
}

/** The terminal size message on the resize channel. */
export function parseResize(data: Buffer): { width: number; height: number } | undefined {
  try {
    const v = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    const width = Number(v.Width);
    const height = Number(v.Height);
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0)
      return undefined;
    return { width, height };
  } catch {
    return undefined;
  }
}

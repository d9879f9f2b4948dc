/**
 * Kubeconfigs read through client-node's KubeConfig, against a real HTTPS server that demands
 * a client certificate signed by a test CA (certificates made with openssl for this run), and
 * against a plain HTTP one with kubeling's own kubeconfig. The client side runs in a tsx
 * subprocess (testdata/kubeconfigProbe.ts): client-node is ESM-only.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { agentFetch } from './kubeconfig';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-kubeconfig-'));
const file = (name: string) => path.join(dir, name);
const probe = path.join(__dirname, 'testdata', 'kubeconfigProbe.ts');

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A key and a certificate for `cn`, signed by the test CA. */
function signed(name: string, cn: string, ext?: string): void {
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${cn}`,
  );
  if (ext) fs.writeFileSync(file(`${name}.ext`), ext);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    `${name}.crt`,
    ...(ext ? ['-extfile', `${name}.ext`] : []),
  );
}

/** What the server saw of a request: the client certificate's CN and the Authorization header. */
interface Seen {
  cn: string | null;
  authorization: string | null;
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, seen: Seen): void {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/slow') return; // never answers
  res.end(
    JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'default' }, seen }),
  );
}

let tlsServer: https.Server;
let plainServer: http.Server;
let tlsUrl = '';
let plainUrl = '';

beforeAll(async () => {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=kubeling-test-ca',
  );
  signed('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  signed('jane', 'jane');
  tlsServer = https.createServer(
    {
      key: fs.readFileSync(file('server.key')),
      cert: fs.readFileSync(file('server.crt')),
      ca: fs.readFileSync(file('ca.crt')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const cert = (req.socket as TLSSocket).getPeerCertificate();
      answer(req, res, {
        cn: [cert.subject?.CN ?? []].flat()[0] ?? null,
        authorization: req.headers.authorization ?? null,
      });
    },
  );
  plainServer = http.createServer((req, res) =>
    answer(req, res, { cn: null, authorization: req.headers.authorization ?? null }),
  );
  for (const s of [tlsServer, plainServer])
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  tlsUrl = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
  plainUrl = `http://127.0.0.1:${(plainServer.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  for (const s of [tlsServer, plainServer]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(
  name: string,
  contexts: { name: string; cluster: Record<string, unknown>; user: Record<string, unknown> }[],
): string {
  const text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({ name: c.name, cluster: c.cluster })),
    users: contexts.map((c) => ({ name: c.name, user: c.user })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
    'current-context': contexts[0]?.name,
    preferences: {},
  });
  fs.writeFileSync(file(name), text);
  return file(name);
}

async function get(
  config: string,
  context?: string,
): Promise<{ body?: { seen: Seen }; error?: string }> {
  // From the workspace root, where tsx finds tsconfig.json's paths. (libs/testing's runProcess
  // is off limits here: the testing lib sits above the client lib.)
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', probe, config, ...(context === undefined ? [] : [context])],
    {
      env: { ...process.env, KUBECONFIG: '' },
      cwd: path.resolve(__dirname, '../../..'),
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { body?: { seen: Seen } };
}

const b64 = (name: string) => fs.readFileSync(file(name)).toString('base64');

describe('kubeconfigHttpOptions', () => {
  it('presents the client certificate, trusts the CA and sends the token (files relative to the kubeconfig)', async () => {
    const config = kubeconfig('files.yaml', [
      {
        name: 'tls',
        cluster: { server: tlsUrl, 'certificate-authority': 'ca.crt' },
        user: { 'client-certificate': 'jane.crt', 'client-key': 'jane.key', token: 's3cret' },
      },
    ]);
    expect(await get(config)).toEqual({
      body: expect.objectContaining({ seen: { cn: 'jane', authorization: 'Bearer s3cret' } }),
    });
  }, 60_000);

  it('reads inline *-data, and a context other than the current one', async () => {
    const config = kubeconfig('inline.yaml', [
      { name: 'plain', cluster: { server: plainUrl }, user: {} },
      {
        name: 'inline',
        cluster: { server: tlsUrl, 'certificate-authority-data': b64('ca.crt') },
        user: { 'client-certificate-data': b64('jane.crt'), 'client-key-data': b64('jane.key') },
      },
    ]);
    expect(await get(config, 'inline')).toEqual({
      body: expect.objectContaining({ seen: { cn: 'jane', authorization: null } }),
    });
    expect(await get(config, 'absent')).toEqual({
      error: `${config}: context "absent" does not exist`,
    });
  }, 60_000);

  it('refuses a server it cannot verify, unless insecure-skip-tls-verify says so', async () => {
    const user = { 'client-certificate': 'jane.crt', 'client-key': 'jane.key' };
    const unverified = kubeconfig('no-ca.yaml', [{ name: 'x', cluster: { server: tlsUrl }, user }]);
    expect((await get(unverified)).error).toMatch(/certificate/);
    const insecure = kubeconfig('insecure.yaml', [
      { name: 'x', cluster: { server: tlsUrl, 'insecure-skip-tls-verify': true }, user },
    ]);
    expect((await get(insecure)).body?.seen).toEqual({ cn: 'jane', authorization: null });
  }, 60_000);

  it("reads kubeling's own kubeconfig (plain HTTP, no credentials)", async () => {
    const config = kubeconfig('kubeling.yaml', [
      { name: 'kubeling-lab', cluster: { server: plainUrl }, user: {} },
    ]);
    expect((await get(config)).body?.seen).toEqual({ cn: null, authorization: null });
  }, 60_000);
});

describe('agentFetch', () => {
  const agent = () =>
    new https.Agent({
      ca: fs.readFileSync(file('ca.crt')),
      cert: fs.readFileSync(file('jane.crt')),
      key: fs.readFileSync(file('jane.key')),
    });

  it('answers a fetch Response with status, headers and a streamed body', async () => {
    const a = agent();
    try {
      const res = await agentFetch(a)(`${tlsUrl}/api/v1/namespaces/default`, {
        headers: { authorization: 'Bearer t' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(((await res.json()) as { seen: Seen }).seen).toEqual({
        cn: 'jane',
        authorization: 'Bearer t',
      });
    } finally {
      a.destroy();
    }
  });

  it("rejects with the signal's reason when the deadline passes, as fetch does", async () => {
    const a = agent();
    try {
      await expect(
        agentFetch(a)(`${tlsUrl}/slow`, { signal: AbortSignal.timeout(200) }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      a.destroy();
    }
  });
});

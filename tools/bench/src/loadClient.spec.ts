import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadClient } from './loadClient';

describe('LoadClient', () => {
  let server: http.Server;
  let url: URL;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = 0;
      req.on('data', (d: Buffer) => (body += d.length));
      req.on('end', () => {
        if (req.url === '/chunked') {
          // Many small chunks, as a streaming answer would come.
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          for (let i = 0; i < 50; i++) res.write('x'.repeat(i + 1));
          res.end();
          return;
        }
        if (req.url === '/missing') {
          res.writeHead(404, { 'Content-Length': '3' });
          res.end('nop');
          return;
        }
        const out = Buffer.alloc(body || 300_000, 'a');
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Length': out.length });
        res.end(out);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('reads Content-Length and chunked bodies on kept-alive connections', async () => {
    const client = new LoadClient(url, 2);
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 3 === 0
            ? client.request('GET', '/chunked')
            : i % 3 === 1
              ? client.request('POST', '/echo', Buffer.alloc(1234))
              : client.request('GET', '/big'),
        ),
      );
      answers.forEach((a, i) => {
        if (i % 3 === 0) expect(a).toEqual({ status: 200, bodyBytes: (50 * 51) / 2 });
        else if (i % 3 === 1) expect(a).toEqual({ status: 201, bodyBytes: 1234 });
        else expect(a).toEqual({ status: 200, bodyBytes: 300_000 });
      });
      expect(await client.request('GET', '/missing')).toEqual({ status: 404, bodyBytes: 3 });
    } finally {
      client.close();
    }
  });
});

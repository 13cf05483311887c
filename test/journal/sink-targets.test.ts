/**
 * Where the checkpoint sink sends anchors: an http(s) URL is a webhook (credentials in
 * the URL become Basic authentication, the anchor is POSTed as JSON, a refusal is an
 * error naming the status); any other scheme is refused; everything else is a file path.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Anchor } from '../../src/journal/anchor.js';
import { checkpointSink, deliveryFailureReason, parseCheckpointSink } from '../../src/journal/sink.js';

describe('checkpoint sink targets', () => {
  it('reads http and https URLs, in any case, as webhooks, and the rest as file paths', () => {
    assert.deepEqual(parseCheckpointSink('https://anchors.example/in', '/srv'), { kind: 'webhook', url: 'https://anchors.example/in' });
    assert.deepEqual(parseCheckpointSink('HTTP://anchors.example/in', '/srv'), { kind: 'webhook', url: 'HTTP://anchors.example/in' });
    assert.deepEqual(parseCheckpointSink('anchors.jsonl', '/srv'), { kind: 'file', path: resolve('/srv', 'anchors.jsonl') });
    assert.deepEqual(parseCheckpointSink('copies/https://x', '/srv'), { kind: 'file', path: resolve('/srv', 'copies/https://x') }, 'a path that only contains a URL');
    assert.deepEqual(parseCheckpointSink('copies/s3://x', '/srv'), { kind: 'file', path: resolve('/srv', 'copies/s3://x') });
    assert.throws(() => parseCheckpointSink('s3://bucket/anchors', '/srv'), { message: 'must be a file path or an http(s) URL' });
  });

  const anchor = { number: 1 } as unknown as Anchor;
  async function deliverTo(status: number, userinfo: string): Promise<{ headers: IncomingHttpHeaders; body: string; error?: unknown }> {
    let received: { headers: IncomingHttpHeaders; body: string } = { headers: {}, body: '' };
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received = { headers: req.headers, body };
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const sink = checkpointSink({ kind: 'webhook', url: `http://${userinfo}127.0.0.1:${port}/anchors` });
      const error = await sink.deliver(anchor).then(() => undefined, (e: unknown) => e);
      return { ...received, error };
    } finally {
      await new Promise((done) => server.close(done));
    }
  }

  it('POSTs the anchor as JSON, with Basic authentication only when the URL has credentials', async () => {
    const plain = await deliverTo(204, '');
    assert.equal(plain.error, undefined);
    assert.equal(plain.headers['content-type'], 'application/json');
    assert.equal(plain.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(plain.body), anchor);
    const both = await deliverTo(204, 'auditor:s%40cret@');
    assert.equal(both.headers.authorization, `Basic ${Buffer.from('auditor:s@cret').toString('base64')}`);
    const userOnly = await deliverTo(204, 'auditor@');
    assert.equal(userOnly.headers.authorization, `Basic ${Buffer.from('auditor:').toString('base64')}`);
  });

  it('fails a delivery the receiver refuses, naming only the status', async () => {
    const { error } = await deliverTo(503, '');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'SinkRefused');
    assert.equal(error.message, 'HTTP 503');
    assert.equal(deliveryFailureReason(error), 'HTTP 503');
  });
});

/** A small keep-alive HTTP load generator for loopback benchmarks. */
import http from 'node:http';
import { measure } from './harness.js';

export async function httpLoad(base: string, total: number, concurrency: number, request: (i: number) => { method: string; path: string; headers?: Record<string, string>; body?: string }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(base);
  try {
    return await measure(total, concurrency, (i) => {
      const r = request(i);
      return new Promise<void>((resolve, reject) => {
        const req = http.request(
          { host: url.hostname, port: url.port, method: r.method, path: r.path, agent, headers: { ...(r.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) } : {}), ...r.headers } },
          (res) => {
            res.resume();
            res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
          },
        );
        req.on('error', reject);
        req.end(r.body);
      });
    });
  } finally {
    agent.destroy();
  }
}

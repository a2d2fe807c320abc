// The verifier: 50 endpoints on a local server, each answering after 50 ms, checked with bounded concurrency
// (verify_concurrency, default 8) versus one by one, in the same run.
import { createServer } from 'node:http';
import { dist } from './lib.mjs';

const ENDPOINTS = 50;
const LATENCY_MS = 50;

export default async function verifyBench() {
  const { EnvironmentConfig } = await import(dist('config/schema.js'));
  const { verifyEnvironment } = await import(dist('verify/verifier.js'));
  const server = createServer((_request, response) => setTimeout(() => response.writeHead(200).end('ok'), LATENCY_MS));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    const environment = EnvironmentConfig.parse({
      verification_endpoints: Array.from({ length: ENDPOINTS }, (_, index) => ({ url: `${origin}/api/${index}`, retries: 0 })),
    });
    // No smoke tests, so the verifier never asks for its shell.
    const verify = async (concurrency) => {
      const started = process.hrtime.bigint();
      const report = await verifyEnvironment('bench', environment, { shell: null, cwd: process.cwd(), concurrency });
      if (!report.passed || report.checks.length !== ENDPOINTS) throw new Error('verify bench: a check failed');
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    await verify(environment.verify_concurrency); // warm-up: connections, JIT
    const concurrent = await verify(environment.verify_concurrency);
    const oneByOne = await verify(1);
    return {
      name: 'verify',
      ratio: oneByOne / concurrent,
      unit: `x faster than one by one (concurrency ${environment.verify_concurrency})`,
      detail: `${ENDPOINTS} endpoints × ${LATENCY_MS} ms: ${concurrent.toFixed(0)} ms concurrent, ${oneByOne.toFixed(0)} ms one by one`,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

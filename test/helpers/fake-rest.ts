/**
 * Stand-ins for the hosts delivery talks to, on 127.0.0.1: a scripted REST server (Azure DevOps, GitHub) that
 * records every request, and a git smart-HTTP server (the real `git http-backend`) in front of local bare
 * repositories that records the Authorization header of every request and can insist on one.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  readonly method: string;
  /** Path with query string. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, the raw text when not JSON, null when empty. */
  readonly body: unknown;
}

export interface FakeRoute {
  readonly method: string;
  /** Exact path with query, or a pattern tested against it. */
  readonly path: string | RegExp;
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
}

export interface FakeRest {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly baseUrl: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

/** Answers each request with the first route matching its method and path; anything else gets 404 (and is recorded). */
export async function startFakeRest(routes: readonly FakeRoute[]): Promise<FakeRest> {
  const calls: RecordedCall[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((raw) => {
      const path = request.url ?? '/';
      calls.push({ method: request.method ?? '', path, headers: headersOf(request), body: parseBody(raw) });
      const route = routes.find((candidate) => candidate.method === request.method && matches(candidate.path, path));
      if (!route) return send(response, 404, { message: 'Not Found' });
      if (route.text !== undefined) {
        response.writeHead(route.status, { 'Content-Type': 'text/html' });
        response.end(route.text);
        return;
      }
      send(response, route.status, route.json ?? {});
    });
  });
  const baseUrl = await listen(server);
  return { baseUrl, calls, close: () => close(server) };
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`; a bare repository `<root>/x.git` is at `<baseUrl>/x.git`. */
  readonly baseUrl: string;
  /** The Authorization header of every request (null when absent), in order. */
  readonly authorizations: (string | null)[];
  close(): Promise<void>;
}

/**
 * `git http-backend` as CGI behind a Node server: fetch and push over real smart HTTP to the bare
 * repositories under `projectRoot`. With `requireAuthorization`, a request without exactly that header is
 * answered 401, as a host answers a push without credentials.
 */
export async function startGitHttpServer(projectRoot: string, options: { requireAuthorization?: string } = {}): Promise<GitHttpServer> {
  const authorizations: (string | null)[] = [];
  const server = createServer((request, response) => {
    const authorization = request.headers.authorization ?? null;
    authorizations.push(authorization);
    if (options.requireAuthorization !== undefined && authorization !== options.requireAuthorization) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake"' });
      response.end('unauthorized');
      return;
    }
    runBackend(projectRoot, request, response);
  });
  const baseUrl = await listen(server);
  return { baseUrl, authorizations, close: () => close(server) };
}

/** A URL on 127.0.0.1 where nothing listens (a port that was just free): a network failure for a client. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await close(server);
  return url;
}

function runBackend(projectRoot: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      REMOTE_USER: 'fleet-test', // enables receive-pack
      REMOTE_ADDR: '127.0.0.1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: String(request.headers['content-encoding'] ?? ''),
      HTTP_GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  request.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    response.write(head.subarray(end + 4));
  });
  child.on('close', () => {
    if (!headersDone) response.writeHead(500);
    response.end();
  });
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function send(response: ServerResponse, status: number, json: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(json));
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

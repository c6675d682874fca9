import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamScript = (request: IncomingMessage, response: ServerResponse, call: number) => void;

/** A scriptable stand-in for Anam's token API, for what the local engine cannot fake: redirects, huge bodies, odd headers. */
export class FakeUpstream {
  readonly calls: Array<{ path: string; body: string; aborted: boolean }> = [];
  script: UpstreamScript = (_request, response) => json(response, 200, { sessionToken: fakeToken() });
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const call = { path: request.url ?? '', body: '', aborted: false };
      this.calls.push(call);
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (call.body += chunk));
      response.on('close', () => {
        if (!response.writableFinished) call.aborted = true;
      });
      request.on('end', () => this.script(request, response, this.calls.length));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  reset(script?: UpstreamScript): void {
    this.calls.length = 0;
    if (script) this.script = script;
    else this.script = (_request, response) => json(response, 200, { sessionToken: fakeToken() });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export function fakeToken(): string {
  const payload = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600, n: Math.random() })).toString(
    'base64url',
  );
  return `eyJhbGciOiJIUzI1NiJ9.${payload}.signature`;
}

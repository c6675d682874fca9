import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { HTTP_TIMEOUTS } from '../../server/app.ts';
import { postJson, useServerAgainstEngine } from './helpers.ts';

const SECRET_KEY = 'sk-live-hardening-7c1d';

/** Sends a request's headers, then its body one byte at a time; resolves with what the server said and when it hung up. */
function trickle(url: string, everyMs: number): Promise<{ reply: string; bytesSent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let reply = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(
        `POST /api/session-token HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n`,
      );
      timer = setInterval(() => {
        if (socket.writable) {
          socket.write(' ');
          bytesSent++;
        }
      }, everyMs);
    });
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ reply, bytesSent });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a trickling client open'));
    }, 20_000).unref();
  });
}

describe('token server hardening', () => {
  const { startServer } = useServerAgainstEngine(SECRET_KEY);

  it('sets request, idle and keep-alive timeouts on the listening server', async () => {
    const server = await startServer();
    try {
      assert.equal(server.app.server.requestTimeout, HTTP_TIMEOUTS.requestMs);
      assert.equal(server.app.server.headersTimeout, HTTP_TIMEOUTS.requestMs);
      assert.equal(server.app.server.timeout, HTTP_TIMEOUTS.idleMs);
      assert.equal(server.app.server.keepAliveTimeout, HTTP_TIMEOUTS.keepAliveMs);
      assert.ok(HTTP_TIMEOUTS.requestMs > 0 && HTTP_TIMEOUTS.requestMs <= 30_000);
    } finally {
      await server.close();
    }
  });

  it('hangs up on a client that trickles its body, while others are still served', async () => {
    const server = await startServer({}, { httpTimeouts: { requestMs: 1500, checkEveryMs: 250 } });
    try {
      const slow = trickle(server.url, 200);
      assert.equal((await postJson(`${server.url}/api/session-token`, {})).status, 200, 'a normal visitor meanwhile');
      const { reply, bytesSent } = await slow;
      assert.match(reply, /^HTTP\/1\.1 408/, 'the trickling client is told its request timed out');
      assert.ok(bytesSent < 1000, 'the body never finished');
    } finally {
      await server.close();
    }
  });

  it('logs only allowlisted request headers: no credential under any name reaches a log', async () => {
    const server = await startServer({ LOG_LEVEL: 'trace' });
    try {
      const secrets = {
        authorization: 'Bearer sec-authorization-1',
        'proxy-authorization': 'Basic sec-proxy-2',
        'x-api-key': 'sec-api-key-3',
        cookie: 'session=sec-cookie-4',
        'x-custom-token': 'sec-custom-5',
      };
      await postJson(`${server.url}/api/session-token`, {}, { ...secrets, 'user-agent': 'hardening-test-agent' });
      assert.match(server.logs.text, /hardening-test-agent/, 'allowlisted headers are still logged');
      for (const value of Object.values(secrets)) assert.doesNotMatch(server.logs.text, new RegExp(value));
    } finally {
      await server.close();
    }
  });

  it('logs at most a few hundred characters of any header, so one request cannot write kilobytes of its own text', async () => {
    const server = await startServer({ LOG_LEVEL: 'info' });
    try {
      const long = `long-agent-${'x'.repeat(8000)}`;
      await postJson(
        `${server.url}/api/session-token`,
        {},
        { 'user-agent': long, referer: `https://a.example/${'y'.repeat(8000)}` },
      );
      const line = server.logs.text.split('\n').find((each) => each.includes('long-agent-'));
      assert.ok(line, 'the request is still logged, its agent shown');
      assert.doesNotMatch(line, /x{300}/, 'the agent is cut');
      assert.ok(line.length < 2000, `a ${line.length}-character log line`);
    } finally {
      await server.close();
    }
  });

  it('with TRUST_PROXY=1 takes the address the proxy appended, not one the client wrote', async () => {
    const server = await startServer({ RATE_LIMIT_MAX: '1', TRUST_PROXY: '1' });
    try {
      const url = `${server.url}/api/session-token`;
      // An appending proxy adds the real client (198.51.100.7) after whatever the client sent.
      assert.equal((await postJson(url, {}, { 'x-forwarded-for': '203.0.113.1, 198.51.100.7' })).status, 200);
      assert.equal((await postJson(url, {}, { 'x-forwarded-for': '203.0.113.99, 198.51.100.7' })).status, 429);
      assert.equal((await postJson(url, {}, { 'x-forwarded-for': '198.51.100.8' })).status, 200, 'another real client');
    } finally {
      await server.close();
    }
  });

  it('counts an IPv6 visitor by its /64, which one host holds whole, so new addresses from it do not reset the limit', async () => {
    const server = await startServer({ RATE_LIMIT_MAX: '2', TRUST_PROXY: '1' });
    try {
      const url = `${server.url}/api/session-token`;
      const from = async (address: string) => (await postJson(url, {}, { 'x-forwarded-for': address })).status;
      const oneHost = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002::9'];
      assert.deepEqual(await Promise.all(oneHost.map(from)).then((statuses) => statuses.sort()), [200, 200, 429, 429]);
      assert.equal(await from('2001:db8:1:3::1'), 200, 'the next /64 is another visitor');
      // IPv4 written as IPv6 is that IPv4 address, and counts as it.
      assert.equal(await from('::ffff:198.51.100.20'), 200);
      assert.equal(await from('198.51.100.20'), 200);
      assert.equal(await from('::ffff:c633:6414'), 429);
    } finally {
      await server.close();
    }
  });
});

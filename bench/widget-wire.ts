// Bytes that travel for the script from the real server, as a browser asks for it.
import { request } from 'node:http';

export interface WireBytes {
  acceptEncoding: string;
  contentEncoding: string;
  bytes: number;
}

/** GETs `url` with `Accept-Encoding: acceptEncoding` and counts the body's bytes as sent (not decoded). */
export function wireBytes(url: string, acceptEncoding: string): Promise<WireBytes> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${url}: HTTP ${response.statusCode}`));
        else resolve({ acceptEncoding, contentEncoding: String(response.headers['content-encoding'] ?? 'identity'), bytes });
      });
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

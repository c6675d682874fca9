import type { NodeDataChannel } from './webrtc.ts';

/**
 * Sends text on a data channel if it is still open; false when it is not. node-webrtc's readyState is
 * a copy updated on the event loop, while send() checks the native channel: a channel the browser has
 * just closed can read 'open' and still throw InvalidStateError. A visitor leaving is not a server error.
 */
export function sendIfOpen(channel: NodeDataChannel, text: string): boolean {
  if (channel.readyState !== 'open') return false;
  try {
    channel.send(text);
    return true;
  } catch (error) {
    if ((error as Error).name === 'InvalidStateError') return false;
    throw error;
  }
}

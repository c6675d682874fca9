/** Why this browser cannot hold a real WebRTC call, or undefined when it can (Debian's WebKitGTK has no WebRTC). */
export function missingWebRTC(): string | undefined {
  if (typeof RTCPeerConnection !== 'function') return 'this browser has no RTCPeerConnection (built without WebRTC)';
  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') return 'this browser has no getUserMedia';
  return undefined;
}

/**
 * For a suite's `before(function () { … })`: skips every test of the suite when the browser lacks WebRTC,
 * printing why, so a skip is decided by what the browser can do, never by its name.
 */
export function skipWithoutWebRTC(context: Mocha.Context): void {
  const missing = missingWebRTC();
  if (!missing) return;
  console.warn(`SKIPPED "${context.test?.parent?.fullTitle() ?? 'suite'}": ${missing}.`);
  context.skip();
}

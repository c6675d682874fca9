// What the bundle has in place of the SDK's left-out functions that the SDK still names under a guard the
// widget never meets (scripts/sdk-trim.ts lists them, and the build checks nothing else reaches them).
// Reaching one anyway is a bug in that list: fail loudly.
export function sdkLeftOut(name: string): never {
  throw new Error(`anam-persona: ${name} of @anam-ai/js-sdk is not in this build (see scripts/sdk-trim.ts)`);
}

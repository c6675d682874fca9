// What the bundle has in place of the SDK's parts the widget never reaches (scripts/sdk-trim.ts lists
// them, and the build checks nothing reaches them). Reaching one anyway is a bug in that list: fail loudly.
export function sdkLeftOut(name: string): never {
  throw new Error(`anam-persona: ${name} of @anam-ai/js-sdk is not in this build (see scripts/sdk-trim.ts)`);
}

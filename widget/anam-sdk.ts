// The one place the widget gets @anam-ai/js-sdk. A dynamic import, so the bundle carries the SDK as a
// function that runs on a visitor's first start instead of on every page that includes the script
// (most visitors never start a conversation). Still one file: Vite inlines it in the IIFE.
import type * as AnamSdk from '@anam-ai/js-sdk';
import type { SDK_EXPORTS } from './sdk-exports.ts';

/** The part of the SDK in the bundle. */
type WidgetSdk = Pick<typeof AnamSdk, (typeof SDK_EXPORTS)[number]>;

let loading: Promise<WidgetSdk> | undefined;
let loaded: WidgetSdk | undefined;

/** Evaluates the SDK on the first call; later calls share it. */
export function loadSdk(): Promise<WidgetSdk> {
  return (loading ??= import('@anam-ai/js-sdk').then((sdk) => (loaded = sdk)));
}

/** The SDK, once `loadSdk()` has resolved. */
export function loadedSdk(): WidgetSdk {
  if (!loaded) throw new Error('loadSdk() first');
  return loaded;
}

/**
 * The SDK's event names, for modules that listen on a client. Each of AnamEvent's values is its own name
 * (`AnamEvent.SESSION_READY === 'SESSION_READY'`, checked against the installed SDK by
 * test/build/sdk-enums.test.ts), so the names are read without the SDK: a static `import { AnamEvent }`
 * would evaluate the whole SDK on every page, and leaving the enum out of the bundle lets its reads inside
 * the SDK become plain strings (scripts/sdk-enums.ts).
 */
export const AnamEvent = new Proxy({} as typeof AnamSdk.AnamEvent, {
  get: (_, name) => name,
});

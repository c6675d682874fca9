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
 * The SDK's event names, for modules that listen on a live client (the SDK is loaded by then). A static
 * `import { AnamEvent } from '@anam-ai/js-sdk'` anywhere would evaluate the whole SDK on every page.
 */
export const AnamEvent = new Proxy({} as typeof AnamSdk.AnamEvent, {
  get: (_, name) => loadedSdk().AnamEvent[name as keyof typeof AnamSdk.AnamEvent],
});

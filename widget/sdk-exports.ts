// The SDK's exports the widget uses: the bundle carries only these (and what they reach), so anam-sdk.ts
// types the loaded SDK as exactly these, and using another is a type error rather than `undefined`.
export const SDK_EXPORTS = ['createClient'] as const;

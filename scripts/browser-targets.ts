/**
 * The browsers the widget supports (README, Browser support), as the bundlers' targets: every syntax
 * these have (class fields, `??=`, optional chaining, `#private`) ships as written, not down-levelled
 * into helpers; only what one of them lacks is lowered (class static blocks: Safari 16.4).
 */
export const BROWSER_TARGETS = ['chrome103', 'firefox100', 'safari16'];

/** Where the demo pages live, and the names a sign-in's `next` field gives them. */

/** Paths of the pages, relative to where the sandbox is mounted (e.g. /sandbox/controls). */
export const OUTBOX_PATH = '/outbox';
export const CONTROLS_PATH = '/controls';
export const SIGN_IN_PATH = '/signin';

/** The pages a sign-in may return to, by the name the `next` field carries. */
export const PAGES = { outbox: OUTBOX_PATH, controls: CONTROLS_PATH } as const;
export type PageName = keyof typeof PAGES;

/** The page a `next` value names; anything else is the outbox. */
export function pageName(value: unknown): PageName {
  return value === 'controls' ? 'controls' : 'outbox';
}

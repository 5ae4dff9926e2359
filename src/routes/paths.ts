// Every route path another part of the app needs to know, defined once: where the provider sends
// the browser back, where delivery receipts arrive, where the sandbox is mounted.

/** Where the login router is mounted, and its callback below it. */
export const AUTH_MOUNT = '/auth';
export const AUTH_CALLBACK_PATH = `${AUTH_MOUNT}/callback`;

/** Where the built-in sandbox provider is mounted in sandbox mode. */
export const SANDBOX_MOUNT = '/sandbox';

/** Where Nexmo's webhooks arrive; the delivery receipt's own path, before its secret key. */
export const WEBHOOKS_PREFIX = '/webhooks';
export const RECEIPT_ROUTE = '/delivery-receipt';
export const RECEIPT_PATH = `${WEBHOOKS_PREFIX}${RECEIPT_ROUTE}`;

/** The room board (sandbox mode) and the JSON its page polls. */
export const ROOM_PATH = '/room';
export const ROOM_JSON_PATH = '/room.json';

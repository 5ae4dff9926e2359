// The shape of a send's id, defined once for the server and the browser. A send's id is the
// random half of the SMS form's one-time key (http/sendKey.ts makes it from 16 random bytes, in
// base64url), the address of the message's page (/messages/<id>) and its client-ref; whatever
// does not have this shape is never looked up. Pure, with no import: the browser build uses it.

/** 16 random bytes in base64url: 22 characters, no padding. */
export const SEND_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * A stand-in for Nexmo's retired OAuth 1.0a service and its SMS API, strict enough that any
 * RFC 5849 client can be tested against it. It verifies signatures with its own code
 * (rfc5849.ts), never with the library the app signs with.
 *
 * Creating a sandbox starts nothing: no timers, no sockets. Expired tokens and nonces are
 * purged lazily as the stores are used.
 */
import { resolve } from 'node:path';
import express from 'express';
import type { Router } from 'express';
import { publicDir } from '../paths.js';
import { mountConsentRoutes } from './consent.js';
import { mountTokenRoutes } from './oauthRoutes.js';
import { mountOutboxPage } from './outbox.js';
import type { OutboxEntry } from './outbox.js';
import { ASSETS_PATH } from './pages.js';
import { mountSmsApi } from './smsApi.js';
import { createState } from './state.js';
import type { SandboxOptions, Stats } from './state.js';

export type { OutboxEntry } from './outbox.js';
export type { SandboxOptions } from './state.js';

export interface Sandbox {
  /** Mount anywhere: `app.use('/sandbox', sandbox.router)` or at '/'. */
  router: Router;
  consumerKey: string;
  consumerSecret: string;
  /** What was "delivered", newest first. */
  outbox(): ReadonlyArray<OutboxEntry>;
  /** Calls that reached each endpoint, whatever their outcome. */
  stats(): Stats;
  /** Cancels delivery receipts not yet sent. */
  close(): void;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const state = createState(options);
  const router = express.Router();

  router.use(ASSETS_PATH, express.static(resolve(publicDir, 'sandbox'), { index: false, maxAge: '1h' }));
  mountTokenRoutes(router, state);
  mountConsentRoutes(router, state);
  mountSmsApi(router, state);
  mountOutboxPage(router, state.outbox);

  return {
    router,
    consumerKey: state.consumerKey,
    consumerSecret: state.consumerSecret,
    outbox: () => state.outbox.list(),
    stats: () => ({ ...state.stats }),
    close: () => state.receipts.close(),
  };
}

/**
 * A stand-in for Nexmo's retired OAuth 1.0a service and its SMS API, strict enough that any
 * RFC 5849 client can be tested against it. It verifies signatures with its own code
 * (rfc5849.ts), never with the library the app signs with.
 *
 * Creating a sandbox starts nothing: no timers, no sockets. Expired tokens and nonces are
 * purged lazily as the stores are used.
 */
import express from 'express';
import type { Router } from 'express';
import { mountConsentRoutes } from './consent.js';
import { createContext } from './context.js';
import type { Stats } from './context.js';
import { mountTokenRoutes } from './oauthRoutes.js';
import { mountOutboxPage } from './outbox.js';
import type { OutboxEntry } from './outbox.js';
import { ASSETS_PATH } from './pages.js';
import { resolveOptions } from './options.js';
import type { SandboxOptions } from './options.js';
import { publicDir } from './paths.js';
import { mountSmsApi } from './smsApi.js';

export type { OutboxEntry } from './outbox.js';
export type { SandboxOptions } from './options.js';
export type { Stats } from './context.js';

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
  const context = createContext(resolveOptions(options));
  const router = express.Router();

  router.use(ASSETS_PATH, express.static(publicDir, { index: false, maxAge: '1h' }));
  mountTokenRoutes(router, context);
  mountConsentRoutes(router, context);
  mountSmsApi(router, context);
  mountOutboxPage(router, context.outbox);

  return {
    router,
    consumerKey: context.consumerKey,
    consumerSecret: context.consumerSecret,
    outbox: () => context.outbox.list(),
    stats: () => ({ ...context.stats }),
    close: () => context.receipts.close(),
  };
}

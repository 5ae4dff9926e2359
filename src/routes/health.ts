import { Router } from 'express';

import type { AppStores } from '../store/types.js';

/**
 * Mounted at the root, before the session: for load balancers and orchestrators. The answers
 * say up or down and nothing else (no versions, no configuration).
 */
export function healthRouter(stores: AppStores): Router {
  const router = Router();
  // The process is up and answering.
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  // It can serve requests: configuration was loaded (or it would not be running) and the store answers.
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await stores.ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return router;
}

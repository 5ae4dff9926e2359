import { Router } from 'express';

import type { TraceStore } from '../oauth/trace.js';
import { howItWorksView } from '../present/howItWorks.js';
import { requireConnection } from './requireConnection.js';

/** Mounted at /how-it-works: the signed-in connection's own OAuth timeline. */
export function howItWorksRouter(traces: TraceStore): Router {
  const router = Router();
  router.use(requireConnection);
  router.get('/', async (req, res) => {
    const steps = req.session.traceId ? await traces.read(req.session.traceId) : [];
    res.render('how-it-works', howItWorksView(steps));
  });
  return router;
}

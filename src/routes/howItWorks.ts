import { Router } from 'express';

import type { TraceStore } from '../oauth/trace.js';
import { howItWorksIntro, howItWorksView } from '../present/howItWorks.js';

/**
 * Mounted at /how-it-works: the signed-in connection's own OAuth timeline; before connecting,
 * what the three legs are, with the button that starts them.
 */
export function howItWorksRouter(traces: TraceStore): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (!req.session.connection) {
      res.render('how-it-works', howItWorksIntro());
      return;
    }
    const steps = req.session.traceId ? await traces.read(req.session.traceId) : [];
    res.render('how-it-works', howItWorksView(steps));
  });
  return router;
}

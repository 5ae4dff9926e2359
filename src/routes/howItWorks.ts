import { Router } from 'express';

import { howItWorksView } from '../present/howItWorks.js';
import { requireConnection } from './requireConnection.js';

/** Mounted at /how-it-works: the signed-in connection's own OAuth timeline. */
export function howItWorksRouter(): Router {
  const router = Router();
  router.use(requireConnection);
  router.get('/', (req, res) => {
    res.render('how-it-works', howItWorksView(req.session.trace));
  });
  return router;
}

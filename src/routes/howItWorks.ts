import { Router } from 'express';

import { howItWorksIntro, howItWorksView } from '../present/howItWorks.js';
import type { MessageStore } from '../store/types.js';
import type { TimelineStore } from '../timeline/store.js';

/** How many of the connection's sends the page shows, newest first. */
const SENDS_SHOWN = 20;

export interface HowItWorksDeps {
  timeline: TimelineStore;
  /** The sends, each with its signed call's facts (stored with the send). */
  messages: MessageStore;
  /** The app's own secrets, masked once more wherever they might appear. */
  secrets: readonly string[];
}

/**
 * Mounted at /how-it-works: the signed-in connection's own OAuth timeline, derived from the
 * recorded facts when the page is read; before connecting, what the three legs are, with the
 * button that starts them.
 */
export function howItWorksRouter(deps: HowItWorksDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const connection = req.session.connection;
    if (!connection) {
      res.render('how-it-works', howItWorksIntro());
      return;
    }
    const id = connection.timelineId;
    if (id === undefined) {
      res.render('how-it-works', howItWorksView({ login: [], balanceReads: [], sends: [] }, deps.secrets));
      return;
    }
    const [recorded, page] = await Promise.all([deps.timeline.read(id), deps.messages.list(connection.account, { offset: 0, limit: SENDS_SHOWN })]);
    // The account's sends made through this connection (another connection to the same account
    // has a timeline of its own), oldest first, as the page orders calls.
    const sends = page.records.flatMap((record) => (record.call?.timeline === id ? [record.call.facts] : [])).reverse();
    res.render('how-it-works', howItWorksView({ ...recorded, sends }, deps.secrets));
  });
  return router;
}

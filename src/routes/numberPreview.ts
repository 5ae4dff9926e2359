import { Router } from 'express';

import type { SmsFormRules } from '../nexmo/smsFormValidation.js';
import { previewRecipient } from '../present/smsForm.js';
import { PREVIEW_NOT_CONNECTED, PREVIEW_ONE_NUMBER, previewTooLong } from '../present/errorPages.js';

/**
 * The longest To the form takes (its field's maxlength in views/sms.ejs): nothing longer is
 * typed there, and nothing longer is read.
 */
export const MAX_RECIPIENT_LENGTH = 32;

/**
 * Mounted at /sms/preview: what the SMS form's To field will send to, for its preview as a
 * person types (src/browser/number-preview.ts). `GET ?to=…` answers `{ "preview": "+44 7700
 * 900123 (United Kingdom)" }`, or `{ "error": … }` in the form's own words when the form would
 * refuse the number. Read with this deployment's rules only: no call to the provider, nothing
 * stored, and the answer never echoes what was typed.
 */
export function numberPreviewRouter(rules: SmsFormRules): Router {
  const router = Router();
  router.get('/', (req, res) => {
    // What a person types is nobody else's business, nor worth keeping.
    res.set('Cache-Control', 'no-store');
    if (!req.session.connection) {
      res.status(401).json({ error: PREVIEW_NOT_CONNECTED });
      return;
    }
    const to = req.query.to;
    if (typeof to !== 'string') {
      res.status(400).json({ error: PREVIEW_ONE_NUMBER });
      return;
    }
    if (to.length > MAX_RECIPIENT_LENGTH) {
      res.status(400).json({ error: previewTooLong(MAX_RECIPIENT_LENGTH) });
      return;
    }
    res.json(previewRecipient(to, rules));
  });
  return router;
}

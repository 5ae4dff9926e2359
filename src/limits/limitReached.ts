import { HttpError } from '../http/errors.js';
import type { LimitReachedError } from './counting.js';
import { limitPage } from './refusal.js';

/** A reached limit as HTTP: 429 with Retry-After, as a page or JSON (see the error handler). */
export function tooManyRequests(err: LimitReachedError): HttpError {
  return new HttpError(429, limitPage(err), { cause: err, headers: retryAfter(err) });
}

export function retryAfter(err: LimitReachedError): Record<string, string> {
  return { 'Retry-After': String(err.retryAfterSeconds) };
}

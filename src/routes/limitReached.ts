import { HttpError } from '../http/errors.js';
import type { LimitRefusal } from '../limits/refusal.js';
import { limitPage } from '../present/limits.js';

/** A reached limit as HTTP: 429 with Retry-After, as a page or JSON (see the error handler). */
export function tooManyRequests(refusal: LimitRefusal): HttpError {
  return new HttpError(429, limitPage(refusal), { headers: retryAfter(refusal) });
}

export function retryAfter(refusal: LimitRefusal): Record<string, string> {
  return { 'Retry-After': String(refusal.retryAfterSeconds) };
}

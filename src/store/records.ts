import type { RecordOutcome } from './types.js';

/** The message-ids Nexmo gave a send's parts: what its delivery receipts will name. */
export function partMessageIds(outcome: RecordOutcome): string[] {
  if (!('parts' in outcome)) return [];
  return outcome.parts.flatMap((part) => (part.messageId ? [part.messageId] : []));
}

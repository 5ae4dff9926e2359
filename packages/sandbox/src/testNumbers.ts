/**
 * Recipient numbers that make the sandbox answer the way Nexmo does when something goes wrong,
 * so a demo can show every outcome on purpose. All are in Ofcom's range reserved for drama
 * (+44 7700 900000–900999), so none is anyone's phone. Any other number is delivered.
 *
 * Refusals come back from /sms/json at once (nothing is charged or put in the outbox); failed
 * deliveries are accepted and charged like any message, then their receipt says "failed".
 * Every accepted part first gets an `accepted` receipt, as from the network; see receipts.ts for
 * when each receipt follows.
 */

export type TestNumberOutcome =
  | { kind: 'delivered' }
  | { kind: 'refused'; status: string; errorText: string }
  | { kind: 'undelivered'; errCode: string }
  /** The phone is off for a while: `buffered`, then `delivered` later. */
  | { kind: 'buffered' }
  /** The phone never comes back: `buffered`, then `expired`, as Nexmo says after 72 hours. */
  | { kind: 'expired' };

export interface TestNumber {
  /** E.164 digits without "+", as /sms/json receives them. */
  readonly digits: string;
  /** As a person would write it. */
  readonly display: string;
  /** What happens, in a few words. */
  readonly title: string;
  /** What the sandbox answers, for the controls page and the README. */
  readonly detail: string;
  readonly outcome: TestNumberOutcome;
}

export const TEST_NUMBERS: readonly TestNumber[] = Object.freeze([
  {
    digits: '447700900000',
    display: '+44 7700 900000',
    title: 'Delivered',
    detail: 'Accepted (status 0), then an "accepted" receipt and a "delivered" one. Every number not listed here behaves the same.',
    outcome: { kind: 'delivered' },
  },
  {
    digits: '447700900999',
    display: '+44 7700 900999',
    title: 'Absent subscriber, for now',
    detail: 'Accepted and charged, then a "failed" receipt with err-code 2: the phone is off or out of coverage.',
    outcome: { kind: 'undelivered', errCode: '2' },
  },
  {
    digits: '447700900998',
    display: '+44 7700 900998',
    title: 'Absent subscriber, for good',
    detail: 'Accepted and charged, then a "failed" receipt with err-code 3: the phone cannot be reached and will not be.',
    outcome: { kind: 'undelivered', errCode: '3' },
  },
  {
    digits: '447700900902',
    display: '+44 7700 900902',
    title: 'Phone off, delivered later',
    detail: 'Accepted and charged, then "accepted", "buffered" (err-code 2: the phone is off) and, a while later, "delivered".',
    outcome: { kind: 'buffered' },
  },
  {
    digits: '447700900903',
    display: '+44 7700 900903',
    title: 'Expired',
    detail: 'Accepted and charged, then "accepted", "buffered" and "expired" (err-code 2), as Nexmo reports a message it gave up on after 72 hours; the sandbox gives up in seconds.',
    outcome: { kind: 'expired' },
  },
  {
    digits: '447700900906',
    display: '+44 7700 900906',
    title: 'Rejected: no route',
    detail: 'Refused with status 6 (unroutable message); nothing is charged.',
    outcome: { kind: 'refused', status: '6', errorText: 'Unroutable message - rejected' },
  },
  {
    digits: '447700900907',
    display: '+44 7700 900907',
    title: 'Rejected: number barred',
    detail: 'Refused with status 7 (the number may not receive messages); nothing is charged.',
    outcome: { kind: 'refused', status: '7', errorText: 'Number barred' },
  },
  {
    digits: '447700900901',
    display: '+44 7700 900901',
    title: 'Throttled',
    detail: 'Refused with status 1 (throughput rate exceeded), as if the account sent too fast; nothing is charged.',
    outcome: { kind: 'refused', status: '1', errorText: 'Throughput Rate Exceeded - please wait [ 1000 ] and retry' },
  },
  {
    digits: '447700900909',
    display: '+44 7700 900909',
    title: 'No credit',
    detail: 'Refused with status 9 (partner quota violation), whatever the balance; nothing is charged.',
    outcome: { kind: 'refused', status: '9', errorText: 'Partner quota violation: not enough credit' },
  },
  {
    digits: '447700900915',
    display: '+44 7700 900915',
    title: 'Invalid sender',
    detail: 'Refused with status 15, as where a sender name is not allowed in the recipient’s country; nothing is charged.',
    outcome: { kind: 'refused', status: '15', errorText: 'Invalid sender address' },
  },
] satisfies TestNumber[]);

const BY_DIGITS = new Map(TEST_NUMBERS.map((n) => [n.digits, n.outcome]));

/** What the sandbox does with a message to `to` (digits); anything unlisted is delivered. */
export function outcomeFor(to: string): TestNumberOutcome {
  return BY_DIGITS.get(to) ?? { kind: 'delivered' };
}

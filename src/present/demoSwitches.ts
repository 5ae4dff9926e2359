// The sandbox's demo switches as the app's pages speak of them.

/** Said on the sandbox's demo controls, beside the test numbers: which of the app's limits apply. */
export const TEST_NUMBERS_LIMITS_NOTE =
  'In this app, sends to these test numbers count against none of its limits (per account, per address, per number or parts a day): they reach nobody’s phone, so the whole room can tour them. A send the sandbox refuses counts against no limit either. Sends to any other number are limited as usual.';

export interface DemoSwitchBanner {
  /** The sandbox account the switches belong to. */
  account: string;
  switches: ReadonlyArray<{ label: string; href: string }>;
}

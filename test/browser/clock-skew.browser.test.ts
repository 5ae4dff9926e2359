// The clock-skew explanation as a person sees it: the sandbox's control moves its clock, the
// app's SMS form explains the difference instead of showing the form, and the control undoes it.
import { describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { connectInBrowser, expectAccessible, screenshot, useBrowserSuite, visibleText } from './harness.js';

/** The app's clock: a whole second, so the sandbox's Date header (to the second) gives exactly 600 s. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const suite = useBrowserSuite({ now: () => NOW });

describe('a provider clock 10 minutes ahead, in a browser', () => {
  it('the form explains the skew and how to fix it, until the control is cancelled', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);

    await page.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
    await page.getByRole('button', { name: 'This app’s clock is 10 minutes off' }).click();
    await page.getByRole('status').filter({ hasText: 'as if the app’s clock were 10 minutes behind' }).waitFor();

    await page.goto(`${app.url}/sms`);
    await page.getByRole('heading', { level: 1, name: 'This server’s clock is off' }).waitFor();
    const text = await visibleText(page);
    expect(text).toContain('this server’s clock is 600 seconds (about 10 minutes) behind Nexmo’s');
    expect(text).toContain('timedatectl set-ntp true');
    expect(text).toContain('Error 502');
    await expectAccessible(page, 'clock-skew explanation');
    await screenshot(page, 'clock-skew');

    await page.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
    await page.getByRole('button', { name: 'Cancel: the app’s clock is right' }).click();
    await page.getByRole('status').filter({ hasText: 'judges timestamps by its own clock again' }).waitFor();
    await page.goto(`${app.url}/sms`);
    await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
  });
});

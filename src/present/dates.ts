// The one way the app writes a moment: a machine-readable ISO string for <time datetime> and a
// short UTC text for people (the server cannot know the reader's zone).

const TEXT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export interface Moment {
  iso: string;
  text: string;
}

export function formatMoment(epochMs: number): Moment {
  const date = new Date(epochMs);
  return { iso: date.toISOString(), text: `${TEXT.format(date)} UTC` };
}

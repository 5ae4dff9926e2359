/** What a page says about something that happened: the words, and where to go next. */
export interface PageWords {
  title: string;
  message: string;
  /** A second paragraph: what to do about it, when there is more to do than trying again. */
  advice?: string;
  action?: { href: string; label: string };
}

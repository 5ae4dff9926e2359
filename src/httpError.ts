/** A page-worthy failure: a status and words for a person, plus where to go next. */
export interface ErrorPage {
  title: string;
  message: string;
  action?: { href: string; label: string };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly page: ErrorPage,
    options?: { cause?: unknown },
  ) {
    super(page.title, options);
    this.name = 'HttpError';
  }
}

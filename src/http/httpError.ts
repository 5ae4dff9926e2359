/** A page-worthy failure: a status and words for a person, plus where to go next. */
export interface ErrorPage {
  title: string;
  message: string;
  /** A second paragraph: what to do about it, when there is more to do than trying again. */
  advice?: string;
  action?: { href: string; label: string };
}

export class HttpError extends Error {
  /** Response headers the answer must carry, whichever format it takes (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly page: ErrorPage,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(page.title, options);
    this.name = 'HttpError';
    this.headers = options?.headers ?? {};
  }
}

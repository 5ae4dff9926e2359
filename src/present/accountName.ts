// The name a person knows their account by, from what the provider said when it granted access.

/** Providers name the user differently; the first field that looks like a name, if any. */
export function accountName(extra: Readonly<Record<string, string>>): string | undefined {
  for (const key of ['username', 'screen_name', 'user_name', 'name', 'account_name']) {
    const value = extra[key];
    if (value) return value;
  }
  return undefined;
}

// Which version of the store's layout a SQLite file or a Redis holds. An app must never work on
// a layout newer than it knows: it would misread or damage data a newer version wrote.

/** The store was written by a newer version of the app: the start stops, touching nothing. */
export class SchemaTooNewError extends Error {
  constructor(
    /** The SQLite file, or the Redis URL without its credentials. */
    readonly where: string,
    readonly found: number,
    readonly known: number,
    /** What to point elsewhere instead: SQLITE_PATH or REDIS_URL. */
    variable: 'SQLITE_PATH' | 'REDIS_URL',
  ) {
    super(
      `${where} was written by a newer version of this app (schema ${found}; this app knows up to ${known}). ` +
        `Upgrade the app, or point ${variable} at another ${variable === 'SQLITE_PATH' ? 'file' : 'Redis'}.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** The store holds a version that is not a whole number: not this app's, or damaged. */
export class SchemaUnreadableError extends Error {
  constructor(where: string, value: string, variable: 'SQLITE_PATH' | 'REDIS_URL') {
    super(`${where} holds a schema version this app cannot read (${JSON.stringify(value.slice(0, 20))}). Point ${variable} at another store.`);
    this.name = 'SchemaUnreadableError';
  }
}

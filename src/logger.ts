/** One line per event. Callers pass text already free of secrets. */
export type Logger = (line: string) => void;

export const consoleLogger: Logger = (line) => {
  console.log(`${new Date().toISOString()} ${line}`);
};

export const silentLogger: Logger = () => {};

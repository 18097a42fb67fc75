/** One-line logs on stderr/stdout with a timestamp; errors keep their stack in the log (never in responses). */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

const line = (level: string, msg: string) => `${new Date().toISOString()} ${level} ${msg}`;

export const consoleLogger: Logger = {
  info: (msg) => console.log(line('INFO', msg)),
  warn: (msg) => console.warn(line('WARN', msg)),
  error: (msg, err) => console.error(line('ERROR', msg), ...(err === undefined ? [] : [err instanceof Error ? (err.stack ?? err.message) : err])),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

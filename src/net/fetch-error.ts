/** Why a download failed, in terms a caller can map onto the API's error table. */
export type FetchErrorKind =
  | 'private-address' // the host is (or resolves to) a loopback/private/link-local/... address
  | 'timeout' // connect or total deadline passed
  | 'stalled' // too little arrived in a stall window (a server trickling: trying again only holds a slot longer)
  | 'too-large' // Content-Length or the bytes received exceed maxBytes
  | 'http-status' // the final answer was not 2xx (also: too many redirects)
  | 'network' // DNS failure, refused/reset connection, TLS error, truncated body
  | 'bad-url' // not an absolute http(s) URL
  | 'aborted'; // the caller's AbortSignal fired

export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  /** The URL being fetched when it failed (the redirect target, when it was one). */
  readonly url: string;
  /** HTTP status, for `http-status`. */
  readonly status?: number;
  /** Node's error code (ECONNREFUSED, ENOTFOUND, ...) for `network`. */
  readonly code?: string;

  constructor(
    kind: FetchErrorKind,
    message: string,
    details: { url: string; status?: number; code?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'FetchError';
    this.kind = kind;
    this.url = details.url;
    this.status = details.status;
    this.code = details.code;
  }

  /** Worth trying again: the same request may well succeed a moment later. */
  get transient(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout') return true;
    if (this.kind === 'http-status' && this.status !== undefined) return this.status >= 500 || this.status === 429 || this.status === 408;
    return false;
  }
}

export const isFetchError = (e: unknown): e is FetchError => e instanceof FetchError;

/** `https://host/path` without query or fragment: signed URLs carry secrets that must not reach messages. */
export function describeUrl(url: string, maxChars = 100): string {
  let text = url;
  try {
    const u = new URL(url);
    text = `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // not a URL: show it as given
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

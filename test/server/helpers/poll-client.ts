// The spec's polling client (gen-video-api.txt, Python `generate_video_with_polling`), in TypeScript:
// re-POST the same draft_url with a short client timeout until the answer has a video_url;
// a timeout or a 202 just means "keep polling", any HTTP error ends it.

export interface PollOptions {
  /** Client timeout of each POST (the spec uses 30 s). */
  timeoutMs: number;
  /** Pause between polls (the spec uses 5 s). */
  pollIntervalMs: number;
  maxAttempts: number;
  onProgress?: (p: { status: string; attempt: number; message?: string }) => void;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

/** One `generate_video` call: POST, raise_for_status, JSON. */
export async function generateVideo(baseUrl: string, draftUrl: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}/v1/gen_video`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ draft_url: draftUrl }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new HttpError(res.status, body);
  return body;
}

const isTimeout = (e: unknown) => e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');

export async function generateVideoWithPolling(baseUrl: string, draftUrl: string, o: PollOptions): Promise<{ result: Record<string, unknown>; attempts: number; timeouts: number; accepted: number }> {
  let timeouts = 0;
  let accepted = 0;
  for (let attempt = 0; attempt < o.maxAttempts; attempt++) {
    try {
      const result = await generateVideo(baseUrl, draftUrl, o.timeoutMs);
      if (result.video_url) {
        o.onProgress?.({ status: 'completed', attempt: attempt + 1 });
        return { result, attempts: attempt + 1, timeouts, accepted };
      }
      accepted++;
      o.onProgress?.({ status: 'processing', attempt: attempt + 1, message: String(result.message ?? '处理中...') });
    } catch (e) {
      if (!isTimeout(e)) throw e;
      timeouts++;
      o.onProgress?.({ status: 'processing', attempt: attempt + 1, message: '处理中...' });
    }
    await new Promise((r) => setTimeout(r, o.pollIntervalMs));
  }
  throw new Error('视频生成超时,请稍后重试');
}

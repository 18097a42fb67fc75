// Reads a server-sent-events stream into parsed `data:` JSON messages until the stream ends.
export async function readSse(url: string, opts: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Record<string, unknown>[]> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...opts.headers }, signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000) });
  if (!res.ok || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status}`);
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error(`not an event stream: ${res.headers.get('content-type')}`);
  const messages: Record<string, unknown>[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (data) messages.push(JSON.parse(data));
    }
  }
  return messages;
}

/** POST /v1/gen_video (the spec's endpoint), the job resource, its event stream, and capcut-mate's gen_video_status. */
import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_TABLE, GenVideoError } from '../../src/errors';
import { ApiError, errorHeaders, readJsonBody } from '../http';
import { unreachableCallback } from '../jobs/callback';
import { isTerminal, stageName, type Job } from '../jobs/types';
import { capcutStatusView, jobView } from '../jobs/view';
import {
  CALLBACK_URL_INVALID,
  CapcutStatusBody,
  ErrorBody,
  GenVideoDone,
  GenVideoPending,
  GenVideoRequest,
  GenVideoStatusRequest,
  JobBody,
  PreferHeader,
  TaskIdParam,
  WaitQuery,
} from '../schemas';
import type { AppDeps } from './deps';

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: Object.values(ERROR_TABLE)
          .filter((e) => e.status === s)
          .map((e) => e.message)
          .join(' / ') || { 401: '缺少或错误的 API Key', 404: '任务不存在', 413: '请求体过大' }[s] || String(s),
        content: { 'application/json': { schema: ErrorBody } },
      },
    ]),
  );

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

/** A body parsed with a schema; failures use the table's messages where they apply. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.path.length === 0) throw new ApiError(400, '请求体必须是JSON对象，例如 {"draft_url": "..."}');
  if (issue.message === ERROR_TABLE.DRAFT_URL_REQUIRED.message) throw new GenVideoError('DRAFT_URL_REQUIRED');
  if (issue.message === ERROR_TABLE.DRAFT_URL_INVALID.message) throw new GenVideoError('DRAFT_URL_INVALID');
  throw new ApiError(400, issue.message);
}

/** Seconds to wait before answering 202: `Prefer: respond-async` → 0, `?wait=`, `Prefer: wait=`, else the default. */
function waitSeconds(c: Context, deps: AppDeps, defaultWaitSec: number): number {
  const prefer = c.req.header('prefer') ?? '';
  if (/(^|[\s,;])respond-async\b/i.test(prefer)) return 0;
  const q = c.req.query('wait');
  if (q !== undefined) {
    const n = Number(q);
    if (q.trim() === '' || !Number.isFinite(n) || n < 0) throw new ApiError(400, 'wait参数无效：应为不小于0的秒数');
    return Math.min(n, deps.config.maxWaitSec);
  }
  const m = /(^|[\s,;])wait=(\d+)/i.exec(prefer);
  if (m) return Math.min(Number(m[2]), deps.config.maxWaitSec);
  return defaultWaitSec;
}

function answer(c: Context, job: Job, preferAsync: boolean) {
  if (job.status === 'completed') return c.json({ message: '视频生成成功', video_url: job.videoUrl, task_id: job.id }, 200);
  if (job.status === 'failed') return c.json({ detail: job.detail }, job.httpStatus as ContentfulStatusCode, errorHeaders(job.httpStatus));
  const headers: Record<string, string> = { Location: `/v1/gen_video/${job.id}`, 'Retry-After': '5' };
  if (preferAsync) headers['Preference-Applied'] = 'respond-async';
  return c.json(
    { message: '视频生成中', status: job.status, stage: stageName(job.stage), progress: Math.round(job.progress * 1000) / 1000, task_id: job.id },
    202,
    headers,
  );
}

const notFound = () => new ApiError(404, '任务不存在');

/**
 * `defaultWaitSec` is how long POST /gen_video waits when the request does not say (the
 * `/async/v1` mount uses 0 for clients such as Coze plugins that time out early).
 */
export function genVideoRoutes(deps: AppDeps, opts: { defaultWaitSec?: number; documented?: boolean } = {}): OpenAPIHono {
  const app = new OpenAPIHono();
  const defaultWaitSec = opts.defaultWaitSec ?? deps.config.requestWaitSec;
  const reg = opts.documented === false ? { registerPath: () => {} } : app.openAPIRegistry;
  const security = deps.config.apiKeys.length ? [{ bearerAuth: [] }] : undefined;

  // ---- POST /gen_video
  reg.registerPath(
    createRoute({
      method: 'post',
      path: '/gen_video',
      summary: '生成视频',
      description:
        '根据草稿URL导出MP4。请求最多等待 `wait` 秒：完成答 200（video_url），还在处理答 202（task_id、阶段、进度）。' +
        '同一草稿再次 POST 会加入正在进行的任务；已完成且草稿内容未变则直接返回同一个 video_url；失败后再次 POST 会重试。客户端断开不会取消任务。',
      security,
      request: {
        query: WaitQuery,
        headers: PreferHeader,
        body: { required: true, content: { 'application/json': { schema: GenVideoRequest } } },
      },
      responses: {
        200: json(GenVideoDone, '视频生成成功'),
        202: json(GenVideoPending, '视频生成中'),
        ...errors(400, 401, 404, 500, 503, 504),
      },
    }),
  );
  app.post('/gen_video', async (c) => {
    const body = parseBody(GenVideoRequest, await readJsonBody(c));
    const wait = waitSeconds(c, deps, defaultWaitSec);
    if (body.callback_url) {
      const why = await unreachableCallback(body.callback_url, { allowPrivateNetwork: deps.config.allowPrivateNetwork, allowAddresses: deps.config.privateNetworkAllowlist });
      if (why) throw new ApiError(400, `${CALLBACK_URL_INVALID}: ${why}`);
    }
    const { job: submitted, callback } = await deps.jobs.submit(body.draft_url, { callbackUrl: body.callback_url || undefined });
    if (callback === 'full') {
      throw new ApiError(400, `${CALLBACK_URL_INVALID}: 此任务的回调地址已达上限（${deps.config.maxCallbacksPerJob}个，MAX_CALLBACKS_PER_JOB），task_id ${submitted.id}`);
    }
    const job = (await deps.jobs.waitFor(submitted.id, wait * 1000, c.req.raw.signal)) ?? submitted;
    return answer(c, job, wait === 0);
  });

  // ---- GET /gen_video/{task_id}
  reg.registerPath(
    createRoute({
      method: 'get',
      path: '/gen_video/{task_id}',
      summary: '查询任务',
      description: '任务的状态、阶段（开始处理/素材下载/视频渲染/音频处理/最终编码/上传完成）、进度 0..1、完成时的 video_url、失败时的 detail、草稿警告。',
      security,
      request: { params: TaskIdParam },
      responses: { 200: json(JobBody, '任务'), ...errors(401, 404) },
    }),
  );
  app.get('/gen_video/:task_id', async (c) => {
    const id = c.req.param('task_id');
    const job = await deps.jobs.get(id);
    if (!job) throw notFound();
    return c.json(jobView(job, { queuePosition: await deps.jobs.queuePosition(id) }));
  });

  // ---- GET /gen_video/{task_id}/events
  reg.registerPath(
    createRoute({
      method: 'get',
      path: '/gen_video/{task_id}/events',
      summary: '任务进度（SSE）',
      description: 'text/event-stream：每次变化发送一条 data（与“查询任务”相同的JSON），任务结束后发送最后一条并关闭。',
      security,
      request: { params: TaskIdParam },
      responses: { 200: { description: 'Server-sent events', content: { 'text/event-stream': { schema: JobBody } } }, ...errors(401, 404) },
    }),
  );
  app.get('/gen_video/:task_id/events', async (c) => {
    const id = c.req.param('task_id');
    if (!(await deps.jobs.get(id))) throw notFound();
    return streamSSE(c, async (stream) => {
      let end!: () => void;
      const ended = new Promise<void>((r) => (end = r));
      let seq = 0;
      // Writes in order; the stream closes only after the last one (the finished job) went out.
      let writing = Promise.resolve();
      const unsubscribe = await deps.jobs.subscribe(id, (job) => {
        writing = writing
          .then(async () => {
            const data = JSON.stringify(jobView(job, { queuePosition: job.status === 'queued' ? await deps.jobs.queuePosition(id) : undefined }));
            await stream.writeSSE({ id: String(++seq), data });
          })
          .catch(() => end());
        if (isTerminal(job)) void writing.then(end);
      });
      stream.onAbort(end);
      const stopping = deps.jobs.stoppingSignal;
      stopping.addEventListener('abort', end, { once: true });
      const ping = setInterval(() => (writing = writing.then(() => stream.write(': ping\n\n')).then(() => {}, end)), 15_000);
      await ended;
      await writing;
      clearInterval(ping);
      unsubscribe();
      stopping.removeEventListener('abort', end);
    });
  });

  // ---- POST /gen_video_status (capcut-mate)
  reg.registerPath(
    createRoute({
      method: 'post',
      path: '/gen_video_status',
      summary: '查询视频生成状态（capcut-mate 兼容）',
      description:
        '按 draft_url 查询最近的任务，响应格式与 capcut-mate 的 gen_video_status 相同（status: pending/processing/completed/failed，progress 0–100）。',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: GenVideoStatusRequest } } } },
      responses: { 200: json(CapcutStatusBody, '任务状态'), ...errors(400, 401, 404) },
    }),
  );
  app.post('/gen_video_status', async (c) => {
    const body = parseBody(GenVideoStatusRequest, await readJsonBody(c));
    const latest = await deps.jobs.latestForDraft(body.draft_url);
    if (!latest) throw notFound();
    const job = (await deps.jobs.get(latest.id)) ?? latest;
    return c.json(capcutStatusView(job));
  });

  return app;
}

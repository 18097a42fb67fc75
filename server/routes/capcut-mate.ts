/**
 * capcut-mate's current paths (it moved its API under /openapi/capcut-mate/v1/ and made gen_video
 * asynchronous): a Coze plugin built for capcut-mate works here by changing only its host.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiError, readJsonBody } from '../http';
import { capcutStatusView } from '../jobs/view';
import { CapcutStatusBody, ErrorBody, GenVideoStatusRequest } from '../schemas';
import type { AppDeps } from './deps';
import { parseBody } from './gen-video';

export const CAPCUT_SUBMITTED = '视频生成任务已提交，请使用draft_url查询进度';
export const CAPCUT_NOT_FOUND = '视频生成任务未找到';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export function capcutMateRoutes(deps: AppDeps): OpenAPIHono {
  const app = new OpenAPIHono();
  const security = deps.config.apiKeys.length ? [{ bearerAuth: [] }] : undefined;
  const error = (description: string) => json(ErrorBody, description);

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/gen_video',
      summary: '提交视频生成任务（capcut-mate 兼容）',
      description: '立即返回；用同一 draft_url 调 gen_video_status 查询进度。同一草稿重复提交会加入正在进行的任务。',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: GenVideoStatusRequest } } } },
      responses: {
        200: json(z.object({ message: z.literal(CAPCUT_SUBMITTED), task_id: z.string() }), '已提交'),
        400: error('draft_url 缺失或无效'),
        503: error('服务繁忙'),
      },
    }),
  );
  app.post('/gen_video', async (c) => {
    const body = parseBody(GenVideoStatusRequest, await readJsonBody(c));
    const { job } = await deps.jobs.submit(body.draft_url);
    return c.json({ message: CAPCUT_SUBMITTED, task_id: job.id });
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/gen_video_status',
      summary: '查询视频生成状态（capcut-mate 兼容）',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: GenVideoStatusRequest } } } },
      responses: { 200: json(CapcutStatusBody, '任务状态'), 400: error('draft_url 缺失或无效'), 404: error(CAPCUT_NOT_FOUND) },
    }),
  );
  app.post('/gen_video_status', async (c) => {
    const body = parseBody(GenVideoStatusRequest, await readJsonBody(c));
    const latest = await deps.jobs.latestForDraft(body.draft_url);
    if (!latest) throw new ApiError(404, CAPCUT_NOT_FOUND);
    return c.json(capcutStatusView((await deps.jobs.get(latest.id)) ?? latest));
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'get',
      path: '/gen_video_active_count',
      summary: '排队中与处理中的任务数（capcut-mate 兼容）',
      security,
      responses: { 200: json(z.object({ count: z.number().int() }), 'pending + processing') },
    }),
  );
  app.get('/gen_video_active_count', async (c) => c.json({ count: await deps.jobs.activeCount() }));

  return app;
}

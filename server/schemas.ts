/** Request and response schemas: validation of bodies and the OpenAPI description, from one source. */
import { z } from '@hono/zod-openapi';
import { ERROR_TABLE } from '../src/errors';

const REQUIRED = ERROR_TABLE.DRAFT_URL_REQUIRED.message;
const INVALID = ERROR_TABLE.DRAFT_URL_INVALID.message;

export const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

const draftUrl = z
  .string({ error: (iss) => (iss.input === undefined || iss.input === null ? REQUIRED : INVALID) })
  .trim()
  .min(1, { message: REQUIRED, abort: true })
  .max(8192, { message: INVALID, abort: true })
  .refine(isHttpUrl, { message: INVALID })
  .openapi({
    description: '要导出的草稿URL：草稿JSON的http(s)地址，或包裹它的链接（如 https://ts.fyshark.com/#/cozeToJianyin?drafId=<URL>）',
    example: 'https://ts.fyshark.com/#/cozeToJianyin?drafId=https://example.com/draft/2f52a63b.json',
  });

export const CALLBACK_URL_INVALID = 'callback_url格式无效';

export const GenVideoRequest = z
  .object({
    draft_url: draftUrl,
    callback_url: z
      .string({ error: CALLBACK_URL_INVALID })
      .trim()
      .max(8192, { message: CALLBACK_URL_INVALID, abort: true })
      .refine((s) => s === '' || isHttpUrl(s), { message: CALLBACK_URL_INVALID })
      .nullish()
      .openapi({ description: '可选：任务结束时把任务JSON POST 到这个地址（失败会退避重试）', example: 'https://example.com/hooks/gen_video' }),
  })
  .openapi('GenVideoRequest');

export const GenVideoStatusRequest = z.object({ draft_url: draftUrl }).openapi('GenVideoStatusRequest');

export const ErrorBody = z
  .object({ detail: z.string().openapi({ example: '草稿不存在' }) })
  .openapi('Error', { description: '错误响应；detail 是错误码表中的信息，可能带“: 具体原因”' });

export const GenVideoDone = z
  .object({
    message: z.literal('视频生成成功'),
    video_url: z.string().openapi({ description: '视频下载地址（有有效期）' }),
    task_id: z.string(),
  })
  .openapi('GenVideoDone');

const statusEnum = z.enum(['queued', 'in-progress', 'completed', 'failed']);
const stageEnum = z.enum(['开始处理', '素材下载', '视频渲染', '音频处理', '最终编码', '上传完成']);

export const GenVideoPending = z
  .object({
    message: z.literal('视频生成中'),
    status: statusEnum,
    stage: stageEnum,
    progress: z.number().min(0).max(1),
    task_id: z.string(),
  })
  .openapi('GenVideoPending', { description: '还在处理：稍后用同一个 draft_url 再次 POST（会加入同一个任务），或查询 task_id' });

const Warning = z.object({ segmentId: z.string().optional(), code: z.string(), message: z.string() }).openapi('TimelineWarning');

export const JobBody = z
  .object({
    task_id: z.string(),
    draft_url: z.string(),
    status: statusEnum,
    stage: stageEnum,
    progress: z.number().min(0).max(1),
    message: z.string().optional(),
    video_url: z.string().optional().openapi({ description: '完成时才有' }),
    detail: z.string().optional().openapi({ description: '失败时才有：错误信息' }),
    error_code: z.string().optional(),
    http_status: z.number().int().optional(),
    queue_position: z.number().int().optional(),
    warnings: z.array(Warning).openapi({ description: '草稿中被近似或跳过的内容' }),
    created_at: z.string().nullable(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
  })
  .openapi('Job');

export const CapcutStatusBody = z
  .object({
    draft_url: z.string(),
    status: z.enum(['pending', 'processing', 'completed', 'failed']),
    progress: z.number().int().min(0).max(100),
    video_url: z.string(),
    error_message: z.string(),
    created_at: z.string().nullable(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    task_id: z.string(),
    stage: stageEnum,
  })
  .openapi('GenVideoStatus', { description: 'capcut-mate gen_video_status 的响应格式' });

export const TaskIdParam = z.object({
  task_id: z.string().openapi({ param: { name: 'task_id', in: 'path' }, example: '6f1c2d3e-0000-4000-8000-000000000000' }),
});

export const WaitQuery = z.object({
  wait: z
    .string()
    .optional()
    .openapi({
      param: { name: 'wait', in: 'query' },
      description: '最多等待多少秒再答 202（默认见 REQUEST_WAIT_SECONDS，约 285 秒）；0 = 立即答 202',
      example: '0',
    }),
});

export const PreferHeader = z.object({
  Prefer: z
    .string()
    .optional()
    .openapi({ param: { name: 'Prefer', in: 'header' }, description: '`respond-async` 立即答 202；`wait=<秒>` 同 ?wait=', example: 'respond-async' }),
});

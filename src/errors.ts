/**
 * Errors as values with a code from the API's error table (../shared/docs/gen-video-api.txt).
 * They are created where the problem is known and turned into HTTP in one place (server).
 */
export const ERROR_TABLE = {
  DRAFT_URL_REQUIRED: { status: 400, message: 'draft_url是必填项' },
  DRAFT_URL_INVALID: { status: 400, message: 'draft_url格式无效' },
  DRAFT_NOT_FOUND: { status: 404, message: '草稿不存在' },
  /** Not in the table: the document is not a JianYing draft at all (e.g. Coze2JianYing's own format). */
  DRAFT_INVALID: { status: 400, message: '草稿格式无效' },
  DRAFT_EMPTY: { status: 400, message: '草稿内容为空' },
  MATERIAL_UNREACHABLE: { status: 400, message: '素材无法访问' },
  RENDER_FAILED: { status: 500, message: '视频渲染失败' },
  AUDIO_FAILED: { status: 500, message: '音频处理失败' },
  ENCODE_FAILED: { status: 500, message: '编码失败' },
  BUSY: { status: 503, message: '服务繁忙' },
  TIMEOUT: { status: 504, message: '处理超时' },
} as const;

export type ErrorCode = keyof typeof ERROR_TABLE;

export class GenVideoError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** What exactly went wrong (which material, which field); appended to the table message. */
  readonly reason?: string;

  constructor(code: ErrorCode, reason?: string, options?: { cause?: unknown }) {
    const base = ERROR_TABLE[code].message;
    super(reason ? `${base}: ${reason}` : base, options);
    this.name = 'GenVideoError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.reason = reason;
  }

  /** The `detail` string of the API's error body. */
  get detail(): string {
    return this.message;
  }
}

export const isGenVideoError = (e: unknown): e is GenVideoError => e instanceof GenVideoError;

import { describe, expect, it } from 'vitest';
import { COMMENT_MAX_CHARS, noticeForAnswer } from './comments';

describe('noticeForAnswer', () => {
  it('says nothing when the server accepted', () => {
    expect(noticeForAnswer({ ok: true, id: 'c1' })).toBeNull();
  });

  it('names each refusal, and the length limit for an invalid comment', () => {
    const refused = (code: string) => noticeForAnswer({ error: { code, message: '' } });
    expect(refused('rate_limited')?.key).toBe('realtime.error.rateLimited');
    expect(refused('muted')?.key).toBe('realtime.error.muted');
    expect(refused('comment_blocked')?.key).toBe('realtime.error.blocked');
    expect(refused('network_error')?.key).toBe('realtime.error.network');
    expect(refused('validation_failed')).toEqual({
      key: 'realtime.error.invalid',
      values: { max: COMMENT_MAX_CHARS },
    });
    expect(refused('something_new')?.key).toBe('realtime.error.generic');
  });
});

import { describe, expect, it } from 'vitest';
import { COMMENT_MAX_CHARS, isSettledJielong, noticeForAnswer } from './comments';

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

describe('接龙 answers', () => {
  it('tells the sender why a "+1" did not order, privately', () => {
    expect(noticeForAnswer({ ok: false, error: { code: 'sold_out', message: '' } })).toEqual({
      key: 'jielong.error.soldOut',
    });
    expect(
      noticeForAnswer({
        ok: false,
        error: { code: 'limit_exceeded', message: '', limit: { perBuyer: 2, held: 1 } },
      }),
    ).toEqual({ key: 'jielong.error.limitHeld', values: { perBuyer: 2, held: 1 } });
    expect(noticeForAnswer({ ok: false, error: { code: 'no_pinned_offer', message: '' } })).toEqual(
      { key: 'jielong.error.noOffer' },
    );
  });

  it('clears a refused "+1" but keeps a refused comment to fix', () => {
    expect(isSettledJielong('+1', 'sold_out')).toBe(true);
    expect(isSettledJielong('+1', 'rate_limited')).toBe(false);
    expect(isSettledJielong('好吃 +1', 'sold_out')).toBe(false);
  });
});

import { Hono } from 'hono';
import type { AppEnv } from '../../context';
import { openLeaderLink } from '../../services/leader.service';
import { visitorKey } from '../../http/visitor';

/**
 * GET /s/<code>: a leader's shop link. Records the click server-side (once per visitor per
 * minute) and sends the visitor to the shop's live stream, or to the shop page (with its next
 * stream) when nothing is live. The code travels on as ?ref= so the order can carry it too.
 */
export function shortLinkRoutes() {
  const router = new Hono<AppEnv>();
  router.get('/:code', async (c) => {
    const code = c.req.param('code');
    if (!/^[a-z0-9]{1,32}$/.test(code)) return c.redirect('/', 302);
    const opened = await openLeaderLink(c.var.deps.db, {
      code,
      visitorKey: visitorKey(c),
      userId: c.var.user?.id ?? null,
    });
    if (!opened) return c.redirect('/', 302);
    const ref = `ref=${encodeURIComponent(code)}`;
    return c.redirect(
      opened.liveStreamId
        ? `/live/${opened.liveStreamId}?${ref}`
        : `/shop/${opened.shopSlug}?${ref}`,
      302,
    );
  });
  return router;
}

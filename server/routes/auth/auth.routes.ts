import { createRoute } from '@hono/zod-openapi';
import { createGuest, logIn, signUp } from '../../services/auth.service';
import { invalidateSession } from '../../services/session.service';
import { clearSessionCookie, startSession } from '../../middleware/session';
import { guestLimits, loginLimits, signupLimit } from '../../http/limits';
import { AppError } from '../../errors';
import { GuestBody, LoginBody, SignupBody, UserEnvelope } from '../../contracts/auth';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import type { Router } from '../router';

const bodyErrors = [
  'malformed_json',
  'validation_failed',
  'unsupported_media_type',
  'forbidden_origin',
  'payload_too_large',
] as const;

/**
 * /api/auth/…: signing up, in (also as a guest) and out. Each of the first three has its own
 * limits, by what it protects (server/http/limits.ts): sign-ups per address, logins per
 * account and address before the password is checked, guests generously per address and
 * per device.
 */
export function authRoutes() {
  const router = createRouter();
  router.use('/signup', signupLimit());
  router.use('/guest', ...guestLimits());

  signupRoute(router);
  loginRoute(router, loginLimits());
  guestRoute(router);
  logoutRoute(router);
  return router;
}

function signupRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/signup',
      tags: ['auth'],
      summary: 'Create an account and sign in',
      request: { body: jsonBody(SignupBody) },
      responses: {
        201: jsonContent(UserEnvelope, 'Signed up and signed in'),
        ...errors(...bodyErrors, 'email_taken', 'rate_limited'),
      },
    }),
    async (c) => {
      const user = await signUp(c.var.deps.db, c.req.valid('json'));
      await startSession(c, user.id);
      return c.json({ user }, 201);
    },
  );
}

function loginRoute(router: Router, limits: ReturnType<typeof loginLimits>) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/login',
      tags: ['auth'],
      summary: 'Sign in with email and password',
      request: { body: jsonBody(LoginBody) },
      responses: {
        200: jsonContent(UserEnvelope, 'Signed in'),
        ...errors(...bodyErrors, 'invalid_credentials', 'rate_limited'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // before the password hash: a blocked key costs no argon2 work
      await limits.before(c, body.email);
      const user = await logIn(c.var.deps.db, body).catch(async (err: unknown) => {
        if (err instanceof AppError && err.code === 'invalid_credentials') {
          await limits.failed(c, body.email);
        }
        throw err;
      });
      await limits.succeeded(c, body.email);
      if (c.var.sessionId) await invalidateSession(c.var.deps.db, c.var.sessionId);
      await startSession(c, user.id);
      return c.json({ user }, 200);
    },
  );
}

function guestRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/guest',
      tags: ['auth'],
      summary: 'Continue as a guest with just a nickname',
      request: { body: jsonBody(GuestBody) },
      responses: {
        201: jsonContent(UserEnvelope, 'A guest session'),
        ...errors(...bodyErrors, 'rate_limited'),
      },
    }),
    async (c) => {
      const user = await createGuest(c.var.deps.db, c.req.valid('json'));
      if (c.var.sessionId) await invalidateSession(c.var.deps.db, c.var.sessionId);
      await startSession(c, user.id);
      return c.json({ user }, 201);
    },
  );
}

function logoutRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags: ['auth'],
      summary: 'End the current session',
      responses: {
        204: { description: 'Signed out (also when there was no session)' },
        ...errors('forbidden_origin'),
      },
    }),
    async (c) => {
      if (c.var.sessionId) await invalidateSession(c.var.deps.db, c.var.sessionId);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );
}

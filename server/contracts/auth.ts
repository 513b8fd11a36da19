import { z } from 'zod';
import { DisplayName } from './common';

export const User = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string(),
    guest: z.boolean(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

/** `{ user }`: signup, login, guest and GET /api/me. */
export const UserEnvelope = z.object({ user: User });
export type UserEnvelope = z.infer<typeof UserEnvelope>;

const Email = z.email().max(254);

export const SignupBody = z.strictObject({
  email: Email,
  password: z.string().min(8).max(200),
  name: DisplayName,
});
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

export const GuestBody = z.strictObject({ name: DisplayName });
export type GuestBody = z.infer<typeof GuestBody>;

import { hash, verify } from '@node-rs/argon2';
import type { Database } from '../../db/database';
import type { UserRow } from '../../db/schema';
import {
  findUserByEmail,
  insertUser,
  insertUserUnlessEmailTaken,
} from '../../db/repositories/user.repository';
import { AppError } from '../errors';
import type { User } from '../contracts/auth';

export type { User };

export function userRowToUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, guest: row.is_guest };
}

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1).
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Verified against when the email is unknown, so a login takes the same time either way.
let dummyHash: Promise<string> | undefined;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function signUp(
  db: Database,
  input: { email: string; password: string; name: string },
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const row = await insertUserUnlessEmailTaken(db, {
    email: input.email.toLowerCase(),
    name: input.name,
    password_hash: passwordHash,
    is_guest: false,
  });
  if (!row) throw new AppError('email_taken', 'An account with this email already exists.');
  return userRowToUser(row);
}

export async function logIn(
  db: Database,
  input: { email: string; password: string },
): Promise<User> {
  const row = await findUserByEmail(db, input.email.toLowerCase());
  if (!row?.password_hash) {
    dummyHash ??= hashPassword('timing-equaliser');
    await verify(await dummyHash, input.password).catch(() => false);
    throw new AppError('invalid_credentials', 'Email or password is wrong.');
  }
  const ok = await verify(row.password_hash, input.password);
  if (!ok) throw new AppError('invalid_credentials', 'Email or password is wrong.');
  return userRowToUser(row);
}

export async function createGuest(db: Database, input: { name: string }): Promise<User> {
  const row = await insertUser(db, { name: input.name, is_guest: true });
  return userRowToUser(row);
}

// Signing up, in and out. Each call answers an ApiResult checked against its contract.
import { api, done, read, type Api } from '../api/client.ts';
import { UserEnvelope, type LoginBody, type SignupBody } from '../api/contracts.ts';

export const signUp = (body: SignupBody) =>
  read(api.POST('/api/auth/signup', { body }), UserEnvelope);

export const logIn = (body: LoginBody) => read(api.POST('/api/auth/login', { body }), UserEnvelope);

/** A guest session with just a nickname. */
export const continueAsGuest = (name: string) =>
  read(api.POST('/api/auth/guest', { body: { name } }), UserEnvelope);

export const logOut = () => done(api.POST('/api/auth/logout'));

/** The signed-in user; 401 when there is none. */
export const currentUser = (client: Api = api) => read(client.GET('/api/me'), UserEnvelope);

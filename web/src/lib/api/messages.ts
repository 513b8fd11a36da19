// Which translated sentence to show for an API error. Raw server messages are never shown:
// they are English-only and may describe internals.
import type { MessageKey } from '../i18n';
import type { ApiError } from './types';

export function errorMessageKey(error: Pick<ApiError, 'code'>): MessageKey {
  switch (error.code) {
    case 'validation_failed':
      return 'errors.validation_failed';
    case 'email_taken':
      return 'errors.email_taken';
    case 'invalid_credentials':
      return 'errors.invalid_credentials';
    case 'rate_limited':
      return 'errors.rate_limited';
    case 'unauthenticated':
      return 'errors.unauthenticated';
    case 'not_found':
      return 'errors.not_found';
    case 'unavailable':
      return 'errors.unavailable';
    case 'network_error':
      return 'errors.network';
    default:
      return 'errors.generic';
  }
}

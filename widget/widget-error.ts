import { fill, type Labels } from './labels.ts';

/** What went wrong, in the words a visitor needs: each code has its own message and a Retry. */
export type WidgetErrorCode =
  | 'MISSING_ENDPOINT'
  | 'TOKEN_ENDPOINT_UNREACHABLE'
  | 'NOT_ALLOWED'
  | 'SIGN_IN_REQUIRED'
  | 'RATE_LIMITED'
  | 'PERSONA_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'SERVICE_BUSY'
  | 'BAD_TOKEN_RESPONSE'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_LOST'
  | 'MICROPHONE_BLOCKED'
  | 'UNKNOWN';

export class WidgetError extends Error {
  constructor(
    readonly code: WidgetErrorCode,
    message: string,
    /** The server's or the SDK's own code, for the site owner's logs. */
    readonly detail?: string,
    /** Seconds the visitor should wait before retrying, when the server said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'WidgetError';
  }
}

const LABEL_FOR_CODE: Record<WidgetErrorCode, keyof Labels> = {
  MISSING_ENDPOINT: 'errorMissingEndpoint',
  TOKEN_ENDPOINT_UNREACHABLE: 'errorTokenEndpointUnreachable',
  NOT_ALLOWED: 'errorNotAllowed',
  SIGN_IN_REQUIRED: 'errorSignInRequired',
  RATE_LIMITED: 'errorRateLimited',
  PERSONA_UNAVAILABLE: 'errorPersonaUnavailable',
  SERVICE_UNAVAILABLE: 'errorServiceUnavailable',
  SERVICE_BUSY: 'errorServiceBusy',
  BAD_TOKEN_RESPONSE: 'errorBadTokenResponse',
  CONNECTION_FAILED: 'errorConnectionFailed',
  CONNECTION_LOST: 'errorConnectionLost',
  MICROPHONE_BLOCKED: 'errorMicrophoneBlocked',
  UNKNOWN: 'errorUnknown',
};

/** The visitor-facing message for an error, in the widget's language. */
export function describeError(error: WidgetError, labels: Labels): string {
  if (error.code === 'RATE_LIMITED' && error.retryAfterSeconds) {
    return fill(labels.errorRateLimitedRetryIn, { seconds: error.retryAfterSeconds });
  }
  return labels[LABEL_FOR_CODE[error.code]];
}

/** The token server's `{ code }` values, as the widget's. */
export function fromServerCode(serverCode: string | undefined, status: number): WidgetErrorCode {
  switch (serverCode) {
    case 'ORIGIN_NOT_ALLOWED':
      return 'NOT_ALLOWED';
    case 'UNAUTHORIZED':
      return 'SIGN_IN_REQUIRED';
    case 'RATE_LIMITED':
    case 'ANAM_RATE_LIMITED':
      return 'RATE_LIMITED';
    case 'UNKNOWN_PERSONA':
    case 'ANAM_PERSONA_NOT_FOUND':
    case 'ANAM_PERSONA_INVALID':
    case 'ANAM_REQUEST_REFUSED':
    case 'ANAM_AUTH_FAILED':
      return 'PERSONA_UNAVAILABLE';
    case 'TOKEN_BUDGET_EXHAUSTED':
      return 'SERVICE_BUSY';
    case 'ANAM_UNAVAILABLE':
    case 'ANAM_TIMEOUT':
    case 'INTERNAL_ERROR':
      return 'SERVICE_UNAVAILABLE';
    default:
      if (status === 401) return 'SIGN_IN_REQUIRED';
      if (status === 403) return 'NOT_ALLOWED';
      if (status === 429) return 'RATE_LIMITED';
      if (status === 404 || status === 405 || status === 501) return 'TOKEN_ENDPOINT_UNREACHABLE';
      if (status >= 500) return 'SERVICE_UNAVAILABLE';
      return 'UNKNOWN';
  }
}

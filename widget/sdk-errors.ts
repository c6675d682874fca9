import { WidgetError, type WidgetErrorCode } from './widget-error.ts';

/** The SDK's ClientError codes, as the widget's. */
const CLIENT_ERROR_CODES: Record<string, WidgetErrorCode> = {
  CLIENT_ERROR_CODE_USAGE_LIMIT_REACHED: 'SERVICE_BUSY',
  CLIENT_ERROR_CODE_SPEND_CAP_REACHED: 'SERVICE_BUSY',
  CLIENT_ERROR_CODE_MAX_CONCURRENT_SESSIONS_REACHED: 'SERVICE_BUSY',
  CLIENT_ERROR_CODE_SERVICE_BUSY: 'SERVICE_BUSY',
  CLIENT_ERROR_CODE_NO_PLAN_FOUND: 'PERSONA_UNAVAILABLE',
  CLIENT_ERROR_CODE_VALIDATION_ERROR: 'PERSONA_UNAVAILABLE',
  CLIENT_ERROR_CODE_CONFIGURATION_ERROR: 'PERSONA_UNAVAILABLE',
  CLIENT_ERROR_CODE_AUTHENTICATION_ERROR: 'CONNECTION_FAILED',
  CLIENT_ERROR_CODE_SERVER_ERROR: 'SERVICE_UNAVAILABLE',
  CLIENT_ERROR_CODE_UNKNOWN_ERROR: 'UNKNOWN',
};

/** The SDK's CONNECTION_CLOSED reasons; NORMAL is our own stop and is not an error. */
export const CONNECTION_CLOSED_NORMAL = 'CONNECTION_CLOSED_CODE_NORMAL';
export const CONNECTION_CLOSED_BY_SERVER = 'CONNECTION_CLOSED_CODE_SERVER_CLOSED_CONNECTION';
const CONNECTION_CLOSED_CODES: Record<string, WidgetErrorCode> = {
  CONNECTION_CLOSED_CODE_MICROPHONE_PERMISSION_DENIED: 'MICROPHONE_BLOCKED',
  CONNECTION_CLOSED_CODE_SIGNALLING_CLIENT_CONNECTION_FAILURE: 'CONNECTION_LOST',
  CONNECTION_CLOSED_CODE_WEBRTC_FAILURE: 'CONNECTION_LOST',
};

/** Whatever the SDK threw while starting, as a WidgetError. */
export function fromSdkError(error: unknown): WidgetError {
  if (error instanceof WidgetError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in CLIENT_ERROR_CODES) {
    return new WidgetError(CLIENT_ERROR_CODES[code]!, (error as Error).message, code);
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotAllowedError') return new WidgetError('MICROPHONE_BLOCKED', 'microphone permission denied', 'NotAllowedError');
  return new WidgetError('CONNECTION_FAILED', error instanceof Error ? error.message : String(error), 'SDK');
}

/** A CONNECTION_CLOSED reason during a session, as a WidgetError (undefined for our own stop). */
export function fromConnectionClosed(reason: string): WidgetError | undefined {
  if (reason === CONNECTION_CLOSED_NORMAL || reason === CONNECTION_CLOSED_BY_SERVER) return undefined;
  return new WidgetError(CONNECTION_CLOSED_CODES[reason] ?? 'CONNECTION_LOST', 'connection closed', reason);
}

import { TokenError } from './errors.ts';

export interface TokenRequestBody {
  persona?: string;
  personaConfig?: unknown;
}

/** The content types the endpoint reads: JSON in UTF-8 (the only charset JSON may use on the wire), or none. */
export function checkContentType(contentType: string | undefined): void {
  // What the widget sends, every time: no need to take it apart.
  if (contentType === 'application/json' || contentType === undefined || contentType.trim() === '') return;
  const [type = '', ...parameters] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') throw new TokenError('UNSUPPORTED_MEDIA_TYPE');
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    if (value.trim().replace(/^"|"$/g, '').toLowerCase() !== 'utf-8') throw new TokenError('UNSUPPORTED_MEDIA_TYPE');
  }
}

/** Parses and checks what the browser sent: `{ persona? }`, plus `{ personaConfig? }` when the operator allows it. */
export function parseTokenRequestBody(text: string, allowPersonaConfig: boolean): TokenRequestBody {
  if (text === '') throw new TokenError('INVALID_REQUEST', { detail: 'the JSON body is empty' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TokenError('INVALID_REQUEST', { detail: 'the body is not valid JSON' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TokenError('INVALID_REQUEST', { detail: 'the body must be a JSON object' });
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key === 'persona' || (key === 'personaConfig' && allowPersonaConfig)) continue;
    throw new TokenError('INVALID_REQUEST', { detail: `unexpected field "${key.slice(0, 64)}"` });
  }
  const { persona, personaConfig } = fields;
  if (persona !== undefined && (typeof persona !== 'string' || persona.length < 1 || persona.length > 64)) {
    throw new TokenError('INVALID_REQUEST', { detail: 'persona must be a preset name of 1 to 64 characters' });
  }
  if (
    personaConfig !== undefined &&
    (typeof personaConfig !== 'object' || personaConfig === null || Array.isArray(personaConfig))
  ) {
    throw new TokenError('INVALID_REQUEST', { detail: 'personaConfig must be an object' });
  }
  return fields as TokenRequestBody;
}

/** Whether `value` is what a browser sends as Origin: scheme, host and port only (no path, no trailing slash). */
export function isExactOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/**
 * Why `value` cannot be an allowed origin, in the words an operator needs. A page opened from a file has
 * no origin to allow (browsers send `null`, as sandboxed frames do): the fix is to serve it over http.
 */
export function notAnOriginReason(value: string): string {
  const shown = `"${value.slice(0, 200)}"`;
  if (value === 'null' || value.startsWith('file:')) {
    return `${shown} cannot be allowed: a page opened from a file (file://) has no origin a server can tell apart (browsers send "null"). Serve the page over http instead, e.g. \`python3 -m http.server 8080\` in its folder, and allow http://localhost:8080.`;
  }
  return `${shown} is not an exact origin like https://www.your-site.example (scheme, host and port; no path or trailing slash).`;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

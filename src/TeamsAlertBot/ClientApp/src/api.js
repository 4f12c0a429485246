// The dashboard API (docs/dashboard.md): every call carries the SSO token as a bearer token.
import { getToken } from './host.js';
import { language } from './i18n.js';

export class ApiError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function headers(extra) {
  const token = await getToken();
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  return { ...auth, 'Accept-Language': language(), ...extra };
}

async function send(method, path, body) {
  const init = { method, headers: await headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }

  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }

  if (!response.ok) {
    throw new ApiError(response.status, json);
  }

  return json;
}

export const getJson = (path) => send('GET', path);
export const postJson = (path, body) => send('POST', path, body ?? {});

/** Downloads a file the API answers (the CSV export): fetch + blob, since the request needs the bearer header. */
export async function download(path, fallbackName) {
  const response = await fetch(path, { headers: await headers({ Accept: 'text/csv' }) });
  if (!response.ok) {
    throw new ApiError(response.status, null);
  }

  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

/**
 * Reads the server-sent events stream with fetch + ReadableStream (EventSource cannot send the
 * Authorization header) and calls onEvent(name, data) per event. Reconnects with a growing delay
 * when the stream ends or fails; onState(true|false) says whether it is connected.
 */
export function subscribeEvents(onEvent, onState) {
  let stopped = false;
  let delay = 1000;
  let controller = null;

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch('/api/dashboard/events', {
          headers: await headers({ Accept: 'text/event-stream' }),
          signal: controller.signal,
          cache: 'no-store',
        });
        if (!response.ok || !response.body) {
          throw new ApiError(response.status, null);
        }

        onState(true);
        delay = 1000;
        await readStream(response.body, onEvent);
      } catch {
        // Fall through to the reconnect below.
      }

      if (stopped) {
        return;
      }

      onState(false);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30000);
    }
  }

  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

async function readStream(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }

    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      dispatch(block, onEvent);
    }
  }
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':') || line === '') {
      continue;
    }

    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      name = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }

  if (data.length === 0) {
    return;
  }

  try {
    onEvent(name, JSON.parse(data.join('\n')));
  } catch {
    // A malformed event is skipped, not fatal.
  }
}

// The page's link to its Teams host: initialize teams-js, read the context (locale, theme) and get
// the SSO token. Outside a host (no parent window) there is nothing to talk to, and the page says so.
import { app, authentication } from '@microsoft/teams-js';

let localDevelopment = false;

/**
 * The settings the bot host serves beside the page: additional host origins (tests, other clouds), and
 * whether this is the anonymous local run (Development without an app registration).
 */
export async function loadSettings() {
  try {
    const response = await fetch('settings.json', { credentials: 'omit', cache: 'no-store' });
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

/** True when the page runs in a frame or a window opened by another: a host may be there. */
export function mayHaveHost() {
  return window.parent !== window || !!window.opener;
}

/**
 * Initializes teams-js and returns the context, or null when no host answers within the time
 * (a page framed by something that is not Teams).
 */
export async function connect(settings, timeoutMs = 10000) {
  if (!mayHaveHost()) {
    return null;
  }

  const origins = Array.isArray(settings.hostOrigins) ? settings.hostOrigins.filter((o) => typeof o === 'string') : [];
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const ready = (async () => {
      await app.initialize(origins.length > 0 ? origins : undefined);
      return app.getContext();
    })();
    return await Promise.race([ready, timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Tells Teams the page loaded (hides its loading indicator). */
export function notifySuccess() {
  try {
    app.notifySuccess();
  } catch {
    // An older host without the call: nothing to hide.
  }
}

/** The local run outside Teams: no sign-in, the API treats every request as the local developer. */
export function useLocalDevelopment() {
  localDevelopment = true;
}

/** The SSO token for the bot's API (Teams caches and renews it); null in the local run. */
export function getToken() {
  return localDevelopment ? Promise.resolve(null) : authentication.getAuthToken();
}

/** Follows theme changes of the host. */
export function onThemeChange(handler) {
  try {
    app.registerOnThemeChangeHandler(handler);
  } catch {
    // Not supported by this host.
  }
}

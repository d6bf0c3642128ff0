/**
 * The organiser's session in this browser tab: the bearer token (sessionStorage, so it dies with
 * the tab and is never sent anywhere but in the Authorization header) and the chosen language.
 */
export type Language = 'fr' | 'en';

const TOKEN_KEY = 'confgate.token';
const LANGUAGE_KEY = 'confgate.language';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The chosen language, else the browser's first preference when it is French, else English. */
export function currentLanguage(): Language {
  const saved = sessionStorage.getItem(LANGUAGE_KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function saveLanguage(language: Language): void {
  sessionStorage.setItem(LANGUAGE_KEY, language);
}

/** Leaves for the login page, remembering where to come back; `expired` explains why. */
export function goToLogin(reason?: 'expired'): void {
  const params = new URLSearchParams({ next: location.pathname + location.search });
  if (reason) params.set('reason', reason);
  location.replace(`/login?${params}`);
}

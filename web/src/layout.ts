import { ApiFailure } from './api.js';
import { setMessagesLanguage, t, translate } from './i18n.js';
import { clearToken, currentLanguage, goToLogin, saveLanguage, storedToken, type Language } from './session.js';

export interface PageOptions {
  /** Every page but the login page: without a token the page is never shown. */
  requiresLogin: boolean;
  /** Re-renders what the page drew itself after a language change. */
  onLanguage?: () => void;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

function header(loggedIn: boolean, onLanguage: (language: Language) => void): HTMLElement {
  const bar = element('header', { class: 'site-header' });
  bar.append(element('a', { class: 'brand', href: '/' }, 'confgate'));
  if (loggedIn) {
    const nav = element('nav', { 'data-i18n-label': 'nav.label' });
    for (const [href, key] of [
      ['/', 'nav.book'],
      ['/bookings', 'nav.bookings'],
    ] as const) {
      const link = element('a', { href, 'data-i18n': key });
      if (location.pathname === href) link.setAttribute('aria-current', 'page');
      nav.append(link);
    }
    bar.append(nav);
  }
  const tools = element('div', { class: 'tools' });
  const select = element('select', { id: 'language' });
  for (const [value, name] of [
    ['en', 'English'],
    ['fr', 'Français'],
  ] as const)
    select.append(element('option', { value, lang: value }, name));
  select.value = currentLanguage();
  select.addEventListener('change', () => onLanguage(select.value as Language));
  tools.append(element('label', { for: 'language', 'data-i18n': 'language.label' }), select);
  if (loggedIn) {
    const logout = element('button', { type: 'button', id: 'logout', 'data-i18n': 'nav.logout' });
    logout.addEventListener('click', () => {
      clearToken();
      location.assign('/login');
    });
    tools.append(logout);
  }
  bar.append(tools);
  return bar;
}

function useLanguage(language: Language): void {
  setMessagesLanguage(language);
  document.documentElement.lang = language;
  translate(document);
}

/**
 * Common start of every page: sends a visitor without a token to the login page (the page's
 * content stays hidden), draws the header with the language switch, translates, then shows the
 * page. Returns false when the page must not run.
 */
export function startPage(options: PageOptions): boolean {
  if (options.requiresLogin && !storedToken()) {
    goToLogin();
    return false;
  }
  document.body.prepend(
    header(options.requiresLogin, (language) => {
      saveLanguage(language);
      useLanguage(language);
      options.onLanguage?.();
    }),
  );
  useLanguage(currentLanguage());
  document.querySelector('main')!.hidden = false;
  return true;
}

/** A sentence for a failure that is not a field error (server down, 404, 409, 5xx). */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiFailure) return t('error.http', { status: error.status, message: error.message });
  return t('error.network');
}

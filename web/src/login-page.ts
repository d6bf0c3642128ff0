import { tokenStatus } from './api.js';
import { t, type MessageKey } from './i18n.js';
import { startPage } from './layout.js';
import { saveToken } from './session.js';

/**
 * `/login`: takes the organiser's (or admin's) bearer token, tries it against the API, keeps it in
 * sessionStorage, and goes back to the page that sent the visitor here.
 */
const params = new URLSearchParams(location.search);
const input = document.getElementById('token') as HTMLInputElement;
const error = document.getElementById('token-error')!;
let errorKey: MessageKey | undefined;
let errorText = '';

/** Only same-site paths: a crafted `next` must not send the token holder elsewhere. */
function nextPath(): string {
  const next = params.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

function showError(): void {
  error.hidden = !errorKey && !errorText;
  error.textContent = errorKey ? t(errorKey) : errorText;
  if (error.hidden) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  } else {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', error.id);
  }
}

async function submit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const token = input.value.trim();
  errorKey = undefined;
  errorText = '';
  if (!token) errorKey = 'login.empty';
  else {
    try {
      const status = await tokenStatus(token);
      if (status === 200) {
        saveToken(token);
        location.assign(nextPath());
        return;
      }
      if (status === 401) errorKey = 'login.refused';
      else errorText = t('error.http', { status, message: '' });
    } catch {
      errorKey = 'error.network';
    }
  }
  showError();
  input.focus();
}

if (startPage({ requiresLogin: false, onLanguage: showError })) {
  document.getElementById('login-reason')!.hidden = params.get('reason') !== 'expired';
  document.getElementById('login-form')!.addEventListener('submit', (event) => void submit(event as SubmitEvent));
  input.focus();
}

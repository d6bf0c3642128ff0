import type { FieldError } from './api.js';
import { t } from './i18n.js';
import { element } from './layout.js';

/** The id of the element that shows `field`'s error: `recipients.3` → `recipients-3-error`. */
export function errorIdOf(field: string): string {
  return `${field.replace(/[^\w-]/g, '-')}-error`;
}

function controlsOf(form: HTMLElement, field: string): HTMLElement[] {
  return Array.from(form.querySelectorAll<HTMLElement>('[data-field]')).filter((el) => el.dataset.field === field);
}

function describedBy(control: HTMLElement, id: string, on: boolean): void {
  const ids = new Set((control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size > 0) control.setAttribute('aria-describedby', [...ids].join(' '));
  else control.removeAttribute('aria-describedby');
}

/** The name a person sees for `field`: its label, or the legend of its group. */
function fieldName(control: HTMLElement | undefined, field: string): string {
  if (!control) return field;
  const group = control.closest('fieldset[data-group]');
  if (group) return group.querySelector('legend')?.textContent ?? field;
  const label = (control as HTMLInputElement).labels?.[0];
  return label?.textContent ?? field;
}

/** Removes every shown error, its aria-invalid and its aria-describedby link. */
export function clearFieldErrors(form: HTMLElement, summary: HTMLElement): void {
  for (const box of form.querySelectorAll<HTMLElement>('.field-error')) {
    box.hidden = true;
    box.textContent = '';
  }
  for (const control of form.querySelectorAll<HTMLElement>('[aria-invalid]')) control.removeAttribute('aria-invalid');
  for (const control of form.querySelectorAll<HTMLElement>('[data-field]'))
    describedBy(control, errorIdOf(control.dataset.field!), false);
  summary.hidden = true;
  summary.replaceChildren();
}

/**
 * Shows each API field error next to its field (`#<field>-error`, tied to the control with
 * aria-describedby and aria-invalid) and lists them all in `summary` with links to the fields;
 * errors about fields the page does not have appear in the summary only. Focus moves to the summary
 * so a screen reader announces it and a keyboard user can jump from it to each field.
 */
export function showFieldErrors(form: HTMLElement, errors: FieldError[], summary: HTMLElement): void {
  clearFieldErrors(form, summary);
  const list = element('ul');
  for (const error of errors) {
    const controls = controlsOf(form, error.field);
    const box = form.querySelector<HTMLElement>(`#${CSS.escape(errorIdOf(error.field))}`);
    if (box) {
      box.textContent = error.message;
      box.hidden = false;
    }
    for (const control of controls) {
      control.setAttribute('aria-invalid', 'true');
      if (box) describedBy(control, box.id, true);
    }
    const item = element('li');
    const text = t('summary.item', { field: fieldName(controls[0], error.field).trim(), message: error.message });
    if (controls[0]?.id) {
      const link = element('a', { href: `#${controls[0].id}` }, text);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        controls[0]!.focus();
      });
      item.append(link);
    } else item.textContent = text;
    list.append(item);
  }
  summary.append(element('h2', {}, t('summary.title')), list);
  summary.hidden = false;
  summary.focus();
}

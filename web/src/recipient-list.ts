import { errorIdOf } from './field-errors.js';
import { t } from './i18n.js';
import { element } from './layout.js';

/** RENAvisio's limit, also enforced by the API (after removing duplicates). */
export const MAX_RECIPIENTS = 20;

/**
 * The recipients fieldset: one labelled e-mail input per row with its own Remove button and error
 * line (`recipients.N`, the index the API reports). Focus follows the keyboard user: to the new
 * input after Add, to the next row (or Add) after Remove.
 */
export class RecipientList {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly addButton: HTMLButtonElement,
  ) {
    addButton.addEventListener('click', () => this.add('').focus());
  }

  private inputs(): HTMLInputElement[] {
    return Array.from(this.list.querySelectorAll<HTMLInputElement>('input[type=email]'));
  }

  values(): string[] {
    return this.inputs().map((input) => input.value.trim());
  }

  /** Replaces the rows with `addresses`. */
  set(addresses: string[]): void {
    this.list.replaceChildren();
    for (const address of addresses) this.add(address);
    this.renumber();
  }

  add(value: string): HTMLInputElement {
    const row = element('li');
    const input = element('input', { type: 'email', autocomplete: 'email' });
    input.value = value;
    const remove = element('button', { type: 'button', class: 'link' });
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling?.querySelector('input') ?? this.addButton;
      row.remove();
      this.renumber();
      next.focus();
    });
    row.append(element('label'), input, remove, element('p', { class: 'field-error', hidden: '' }));
    this.list.append(row);
    this.renumber();
    return input;
  }

  /** Labels, ids and field names follow the row order; called after every change and language switch. */
  renumber(): void {
    Array.from(this.list.children).forEach((row, index) => {
      const n = index + 1;
      const label = row.querySelector('label')!;
      const input = row.querySelector('input')!;
      const remove = row.querySelector('button')!;
      const error = row.querySelector('p')!;
      input.id = `recipient-${n}`;
      input.dataset.field = `recipients.${index}`;
      label.htmlFor = input.id;
      label.textContent = t('field.recipient', { n });
      remove.textContent = t('recipients.remove');
      remove.setAttribute('aria-label', t('recipients.removeLabel', { n }));
      error.id = errorIdOf(`recipients.${index}`);
      // A shown error moves with its row; keep the input pointing at it under its new id.
      if (input.hasAttribute('aria-invalid')) input.setAttribute('aria-describedby', error.id);
    });
    this.addButton.disabled = this.list.children.length >= MAX_RECIPIENTS;
  }
}

import type { ConferenceType, Language } from '../booking';
import type { NotificationKind } from '../booking-notifier';

/** Every sentence and label of the confirmation in one language. `{title}` and `{start}` are filled in. */
export interface ConfirmationWording {
  subject: Record<NotificationKind, string>;
  intro: Record<NotificationKind, string>;
  joinHeading: string;
  desktopLink: string;
  ip: string;
  phone: string;
  sipUri: string;
  h323Uri: string;
  number: string;
  accessCode: string;
  /** Callers type both numbers on a keypad; the IVR takes `#` as the end of each. */
  endWithHash: string;
  detailsHeading: string;
  title: string;
  start: string;
  duration: string;
  estimatedConnections: string;
  type: string;
  typeNames: Record<ConferenceType, string>;
  comment: string;
  /** French typography puts a (no-break) space before the colon. */
  colon: string;
}

/** The confirmation in French and English, with RENAvisio's lines in RENAvisio's order. */
export const confirmationWording: Record<Language, ConfirmationWording> = {
  en: {
    subject: {
      created: 'Conference booked: {title}, {start}',
      updated: 'Conference changed: {title}, {start}',
      cancelled: 'Conference cancelled: {title}, {start}',
      resend: 'Conference details: {title}, {start}',
    },
    intro: {
      created: 'Your conference "{title}" is booked.',
      updated: 'Your conference "{title}" has been changed. The details below replace the previous ones.',
      cancelled: 'The conference "{title}" has been cancelled. Its number and access code no longer admit anyone.',
      resend: 'Here again are the details of the conference "{title}".',
    },
    joinHeading: 'How to join',
    desktopLink: 'From an individual terminal (desktop)',
    ip: 'IP',
    phone: 'Telephone',
    sipUri: 'SIP URI',
    h323Uri: 'H.323 URI',
    number: 'Conference number',
    accessCode: 'Access code',
    endWithHash: '(end with #)',
    detailsHeading: 'Conference',
    title: 'Title',
    start: 'Start',
    duration: 'Duration',
    estimatedConnections: 'Estimated connections',
    type: 'Type',
    typeNames: { video: 'video', audio: 'audio only' },
    comment: 'Comment',
    colon: ': ',
  },
  fr: {
    subject: {
      created: 'Conférence réservée : {title}, {start}',
      updated: 'Conférence modifiée : {title}, {start}',
      cancelled: 'Conférence annulée : {title}, {start}',
      resend: 'Informations de conférence : {title}, {start}',
    },
    intro: {
      created: 'Votre conférence « {title} » est réservée.',
      updated: 'Votre conférence « {title} » a été modifiée. Les informations ci-dessous remplacent les précédentes.',
      cancelled: 'La conférence « {title} » a été annulée. Son numéro et son code d’accès ne permettent plus d’entrer.',
      resend: 'Voici de nouveau les informations de la conférence « {title} ».',
    },
    joinHeading: 'Pour rejoindre la conférence',
    desktopLink: 'Depuis un terminal individuel (poste de travail)',
    ip: 'IP',
    phone: 'Téléphone',
    sipUri: 'URI SIP',
    h323Uri: 'URI H.323',
    number: 'Numéro de conférence',
    accessCode: 'Code d’accès',
    endWithHash: '(terminer par #)',
    detailsHeading: 'Conférence',
    title: 'Titre',
    start: 'Début',
    duration: 'Durée',
    estimatedConnections: 'Nombre de connexions estimé',
    type: 'Type',
    typeNames: { video: 'visio', audio: 'audio seul' },
    comment: 'Commentaire',
    colon: '\u00a0: ',
  },
};

/**
 * IANA zones offered in the time zone list: where RENAvisio's users and their partners usually are
 * (metropolitan France, overseas departments, Europe, the Americas, Africa, Asia, Oceania). The
 * browser's own zone is added when it is not among them; the API validates any IANA name.
 */
const commonZones = [
  'UTC',
  'Europe/Paris',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Madrid',
  'Europe/Brussels',
  'Europe/Amsterdam',
  'Europe/Luxembourg',
  'Europe/Berlin',
  'Europe/Zurich',
  'Europe/Rome',
  'Europe/Vienna',
  'Europe/Prague',
  'Europe/Warsaw',
  'Europe/Stockholm',
  'Europe/Helsinki',
  'Europe/Athens',
  'Europe/Bucharest',
  'Europe/Istanbul',
  'Europe/Kyiv',
  'Europe/Moscow',
  'Atlantic/Reykjavik',
  'Africa/Casablanca',
  'Africa/Algiers',
  'Africa/Tunis',
  'Africa/Dakar',
  'Africa/Abidjan',
  'Africa/Cairo',
  'Africa/Nairobi',
  'Africa/Johannesburg',
  'America/St_Johns',
  'America/Halifax',
  'America/Toronto',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Mexico_City',
  'America/Bogota',
  'America/Lima',
  'America/Santiago',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'America/Miquelon',
  'Indian/Reunion',
  'Indian/Mayotte',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Bangkok',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Perth',
  'Australia/Sydney',
  'Pacific/Noumea',
  'Pacific/Tahiti',
  'Pacific/Auckland',
];

/** The browser's IANA zone (Intl), or UTC when it has none. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The zones to offer, sorted so typing a region's first letters finds it, with `extra` included. */
export function timeZoneChoices(...extra: string[]): string[] {
  return [...new Set([...commonZones, ...extra])].sort((a, b) => a.localeCompare(b));
}

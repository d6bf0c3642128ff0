/** What an admin action names (a conference in progress, a participant, its booking) is not there: HTTP 404. */
export class LiveNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveNotFoundError';
  }
}

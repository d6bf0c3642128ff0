import { InProcessMailQueue } from '../../src/mail/in-process-mail-queue';
import { mailQueueContract } from './mail-queue-contract';

describe('InProcessMailQueue', () => {
  mailQueueContract(async () => new InProcessMailQueue());
});

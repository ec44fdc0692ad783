import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { MailOutbox } from './mail-outbox.service';
import { createMailTransport, MailTransport } from './mail-transport';
import { OutboxController } from './outbox.controller';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxSignal } from './outbox-signal';
import { OutboxWorker } from './outbox-worker';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  controllers: [OutboxController],
  providers: [
    MailOutbox,
    OutboxSignal,
    OutboxWorker,
    { provide: MailTransport, inject: [AppConfig], useFactory: createMailTransport },
  ],
  exports: [MailOutbox, OutboxWorker, MailTransport],
})
export class MailModule {}

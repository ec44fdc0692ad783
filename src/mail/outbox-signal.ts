import { Injectable } from '@nestjs/common';

/** Lets a committed transaction wake the outbox worker at once instead of waiting for its next poll. */
@Injectable()
export class OutboxSignal {
  private listener: (() => void) | null = null;

  listen(listener: () => void): void {
    this.listener = listener;
  }

  wake(): void {
    this.listener?.();
  }
}

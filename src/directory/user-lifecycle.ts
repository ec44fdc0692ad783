import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type DeactivationListener = (manager: EntityManager, userId: string) => Promise<void>;

/**
 * What must happen, in the same transaction, when a user is disabled: other modules (sessions,
 * calendar feeds) register here so the directory needs no knowledge of them.
 */
@Injectable()
export class UserLifecycle {
  private readonly deactivationListeners: DeactivationListener[] = [];

  onDeactivated(listener: DeactivationListener): void {
    this.deactivationListeners.push(listener);
  }

  async deactivated(manager: EntityManager, userId: string): Promise<void> {
    for (const listener of this.deactivationListeners) await listener(manager, userId);
  }
}

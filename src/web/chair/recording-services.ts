import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MinutesService } from '../../minutes/minutes.service';
import { DeferralService } from '../../outcomes/deferral.service';

/**
 * MinutesService and DeferralService are not exported by their modules (src/minutes,
 * src/outcomes), so they cannot be injected here. Until those modules export them, this looks
 * them up in the application's container: the same singleton instances the API uses, so no
 * rule is copied. Replace with plain constructor injection once they are exported.
 */
@Injectable()
export class RecordingServices {
  constructor(private readonly moduleRef: ModuleRef) {}

  get minutes(): MinutesService {
    return this.moduleRef.get(MinutesService, { strict: false });
  }

  get deferrals(): DeferralService {
    return this.moduleRef.get(DeferralService, { strict: false });
  }
}

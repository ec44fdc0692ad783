import { Global, Module } from '@nestjs/common';
import { NeedToKnowService } from './need-to-know.service';

/** The need-to-know rule, for every module that shows case text (see need-to-know.rule.ts). */
@Global()
@Module({ providers: [NeedToKnowService], exports: [NeedToKnowService] })
export class NeedToKnowModule {}

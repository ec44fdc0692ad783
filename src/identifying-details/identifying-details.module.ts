import { Global, Module } from '@nestjs/common';
import { IdentifyingDetailsCheck } from './identifying-details.check';

@Global()
@Module({ providers: [IdentifyingDetailsCheck], exports: [IdentifyingDetailsCheck] })
export class IdentifyingDetailsModule {}

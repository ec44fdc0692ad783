import { Global, Module } from '@nestjs/common';
import { CaseTextCheck } from './case-text.check';
import { CaseTextGuard } from './case-text.guard';

/** The declared case-text columns (case-text.registry.ts), their check and its safety net. */
@Global()
@Module({ providers: [CaseTextCheck, CaseTextGuard], exports: [CaseTextCheck] })
export class CaseTextModule {}

import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';
import { ListAuditQuery } from './dto/list-audit.query';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit log, newest first (coordinators). */
  @Get()
  @Roles('coordinator')
  list(@Query() query: ListAuditQuery): Promise<AuditEvent[]> {
    return this.audit.list(query);
  }
}

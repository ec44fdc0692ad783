import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReferenceData } from './reference-data';
import { ReferenceDataService } from './reference-data.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('api/reference-data')
export class ReferenceDataController {
  constructor(private readonly referenceData: ReferenceDataService) {}

  /** The configured vocabularies: concern categories, levels of need, pathways, sectors, age bands, kinds of item. */
  @Get()
  get(): ReferenceData {
    return this.referenceData.data;
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutcomesModule } from '../outcomes/outcomes.module';
import { MinutesComposer } from './minutes-composer';
import { MinutesDistributor } from './minutes-distributor';
import { MinutesVersion } from './minutes-version.entity';
import { MinutesController } from './minutes.controller';
import { Minutes } from './minutes.entity';
import { MinutesService } from './minutes.service';

/** The minutes: draft, approval, amendments, the reader's extract (JSON, HTML, PDF) and distribution. */
@Module({
  imports: [TypeOrmModule.forFeature([Minutes, MinutesVersion]), OutcomesModule],
  controllers: [MinutesController],
  providers: [MinutesService, MinutesComposer, MinutesDistributor],
  exports: [MinutesService],
})
export class MinutesModule {}

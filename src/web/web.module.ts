import { Module } from '@nestjs/common';
import { CalendarRepliesModule } from '../calendar-replies/calendar-replies.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { DirectoryModule } from '../directory/directory.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { MinutesModule } from '../minutes/minutes.module';
import { OutcomesModule } from '../outcomes/outcomes.module';
import { AgencyPagesController } from './agency-lead/agency-pages.controller';
import { ChairPagesController } from './chair/chair-pages.controller';
import { MinutesAmendController } from './chair/minutes-amend.controller';
import { MinutesPagesController } from './chair/minutes-pages.controller';
import { DirectoryPagesController } from './coordinator/directory-pages.controller';
import { MeetingChangesController } from './coordinator/meeting-changes.controller';
import { RecordsPagesController } from './coordinator/records-pages.controller';
import { SeriesPagesController } from './coordinator/series-pages.controller';
import { UserRolesController } from './coordinator/user-roles.controller';
import { BookingDraft } from './presenter/booking-draft.entity';
import { BookingDraftsService } from './presenter/booking-drafts.service';
import { BookingFormController } from './presenter/booking-form.controller';
import { CalendarPageController } from './presenter/calendar-page.controller';
import { ItemEditPagesController } from './presenter/item-edit-pages.controller';
import { ItemPagesController } from './presenter/item-pages.controller';
import { MeetingPagesController } from './presenter/meeting-pages.controller';
import { RebookPagesController } from './presenter/rebook-pages.controller';
import { NextStepsPagesController } from './presenter/next-steps-pages.controller';
import { NextStepsModule } from '../next-steps/next-steps.module';
import { PublicPagesController } from './public-pages/public-pages.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { SingleSignOnPagesController } from './sign-in/single-sign-on-pages.controller';
import { SingleSignOnModule } from '../single-sign-on/single-sign-on.module';
import { AccountPagesController } from './account/account-pages.controller';
import { LegalHoldPagesController } from './coordinator/legal-hold-pages.controller';
import { RetentionModule } from '../retention/retention.module';
import { WebSession } from './web-session';

/**
 * The web pages (GOV.UK Design System, server-rendered, no JavaScript needed): thin controllers
 * over the same services as the API. Set up with configureWebPages (web-setup.ts).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([BookingDraft]),
    AuthModule,
    DirectoryModule,
    CalendarRepliesModule,
    BookingsModule,
    MeetingsModule,
    OutcomesModule,
    NextStepsModule,
    MinutesModule,
    RetentionModule,
    SingleSignOnModule,
  ],
  controllers: [
    PublicPagesController,
    SignInController,
    SingleSignOnPagesController,
    MeetingPagesController,
    BookingFormController,
    ItemPagesController,
    ItemEditPagesController,
    RebookPagesController,
    NextStepsPagesController,
    CalendarPageController,
    ChairPagesController,
    MinutesPagesController,
    MinutesAmendController,
    MeetingChangesController,
    SeriesPagesController,
    DirectoryPagesController,
    UserRolesController,
    RecordsPagesController,
    AgencyPagesController,
    AccountPagesController,
    LegalHoldPagesController,
  ],
  providers: [WebSession, BookingDraftsService],
})
export class WebModule {}

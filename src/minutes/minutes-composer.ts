import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { itemTimes } from '../bookings/booking.views';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { User } from '../directory/user.entity';
import { Meeting } from '../meetings/meeting.entity';
import { carriedForwardTo, isOverdue } from '../outcomes/action-rules';
import { ActionsService } from '../outcomes/actions.service';
import { Attendee } from '../outcomes/attendee.entity';
import { ItemDeferral } from '../outcomes/item-deferral.entity';
import { MeetingAction } from '../outcomes/meeting-action.entity';
import { Outcome, QUALITY_ISSUE_LABELS } from '../outcomes/outcome.entity';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { londonToday } from '../scheduling/calendar-rules';
import {
  ActionEntry,
  AgencyFeedbackEntry,
  AttendanceByAgency,
  DeferredEntry,
  ItemEntry,
  MINUTES_SCHEMA_VERSION,
  MinutesContent,
  OutcomeEntry,
} from './minutes-content';
import { summariseThemes } from './minutes-themes';
import { Minutes } from './minutes.entity';

/**
 * Builds the whole minutes of a meeting from its records, inside the caller's transaction: what
 * a draft shows, and what approval and amendments freeze into a version. Case text goes only
 * under `caseText` keys (see minutes-content.ts).
 */
@Injectable()
export class MinutesComposer {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly referenceData: ReferenceDataService,
    private readonly actions: ActionsService,
  ) {}

  async compose(m: EntityManager, meeting: Meeting, minutes: Minutes | null): Promise<MinutesContent> {
    const now = this.clock.now();
    const chair = meeting.chairUserId ? await m.findOneBy(User, { id: meeting.chairUserId }) : null;
    const attendees = await m.find(Attendee, {
      where: { meetingId: meeting.id },
      relations: { agency: true },
      order: { position: 'ASC' },
    });
    const onAgenda = await m.find(Booking, {
      where: { meetingId: meeting.id, status: 'booked' },
      relations: { presenter: true, agency: true },
      order: { slotIndex: 'ASC' },
    });
    const outcomes = new Map(
      (onAgenda.length ? await m.find(Outcome, { where: { bookingId: In(onAgenda.map((b) => b.id)) } }) : []).map(
        (o) => [o.bookingId, o],
      ),
    );
    const deferrals = await m.find(ItemDeferral, { where: { fromMeetingId: meeting.id }, order: { createdAt: 'ASC' } });
    const deferredItems = await this.bookingsById(
      m,
      deferrals.map((d) => d.bookingId),
    );
    const targets = new Map(
      (deferrals.length
        ? await m.find(Meeting, { where: { id: In([...new Set(deferrals.map((d) => d.toMeetingId))]) } })
        : []
      ).map((x) => [x.id, x]),
    );
    const actions = await this.actions.forMeeting(m, meeting);

    const references = new Map([...onAgenda, ...deferredItems.values()].map((b) => [b.id, b.reference]));
    const items: ItemEntry[] = onAgenda
      .filter((b) => b.kind !== 'agency-feedback')
      .map((b) => this.itemEntry(b, meeting, outcomes.get(b.id) ?? null));
    const agencyFeedback: AgencyFeedbackEntry[] = onAgenda
      .filter((b) => b.kind === 'agency-feedback')
      .map((b) => {
        const outcome = outcomes.get(b.id) ?? null;
        return {
          bookingId: b.id,
          reference: b.reference,
          agency: { id: b.agency.id, name: b.agency.name },
          presenter: { name: b.presenter.name },
          responded: outcome?.response != null,
          caseText: { feedback: b.summary, response: outcome?.response ?? null },
        };
      });
    const deferred: DeferredEntry[] = deferrals
      .filter((d) => deferredItems.has(d.bookingId) && targets.has(d.toMeetingId))
      .map((d) => {
        const b = deferredItems.get(d.bookingId)!;
        const to = targets.get(d.toMeetingId)!;
        return {
          bookingId: b.id,
          reference: b.reference,
          agency: { id: b.agency.id, name: b.agency.name },
          toMeeting: { id: to.id, title: to.title, startsAt: to.startsAt.toISOString() },
          placement: d.placement,
        };
      });

    const today = londonToday(now);
    const actionEntry = (a: MeetingAction): ActionEntry => {
      const item = a.bookingId ? actions.items.get(a.bookingId) : undefined;
      return {
        id: a.id,
        raisedAt: { meetingId: a.meetingId, title: a.meeting.title, startsAt: a.meeting.startsAt.toISOString() },
        carriedForward:
          a.meetingId !== meeting.id &&
          carriedForwardTo({ ...a, raisedAtMeetingStartsAt: a.meeting.startsAt }, meeting.startsAt),
        ownerAgency: { id: a.ownerAgency.id, name: a.ownerAgency.name },
        ownerName: a.ownerName,
        dueDate: a.dueDate,
        status: a.status,
        closedReason: a.closedReason,
        overdue: isOverdue(a, today),
        item: item ? { bookingId: item.id, reference: item.reference, agencyId: item.agencyId, kind: item.kind } : null,
        caseText: { description: a.description },
      };
    };

    return {
      schemaVersion: MINUTES_SCHEMA_VERSION,
      composedAt: now.toISOString(),
      meeting: {
        id: meeting.id,
        seriesId: meeting.seriesId,
        title: meeting.title,
        startsAt: meeting.startsAt.toISOString(),
        endsAt: meeting.endsAt.toISOString(),
        location: meeting.location,
        chair: chair ? { id: chair.id, name: chair.name } : null,
      },
      confidentialityStatement: this.config.CONFIDENTIALITY_STATEMENT,
      general: {
        attendance: groupByAgency(attendees, references),
        agencyFeedback,
        themes: summariseThemes(
          items,
          agencyFeedback,
          deferred.length,
          // The meeting's threshold document: its outcomes were recorded in its levels and pathways.
          this.vocabularyOf(meeting),
          minutes?.themesNote ?? null,
        ),
      },
      items,
      actions: [...actions.carriedForward.map(actionEntry), ...actions.raised.map(actionEntry)],
      deferred,
    };
  }

  private itemEntry(b: Booking, meeting: Meeting, outcome: Outcome | null): ItemEntry {
    const data = this.referenceData.data;
    const label = (list: Array<{ code: string; label: string }>, code: string) =>
      list.find((x) => x.code === code)?.label ?? code;
    return {
      bookingId: b.id,
      reference: b.reference,
      kind: b.kind,
      kindLabel: label(data.kinds, b.kind),
      slotIndex: b.slotIndex,
      startsAt: itemTimes(b, meeting).startsAt.toISOString(),
      agency: { id: b.agency.id, name: b.agency.name },
      presenter: { name: b.presenter.name },
      ageBand: b.ageBand,
      concernCategories: b.concernCategories.map((code) => ({ code, label: label(data.concernCategories, code) })),
      levelConsidered: b.levelConsidered,
      mashReference: b.mashReference,
      referralDate: b.referralDate,
      deferrals: b.deferrals,
      outcome: outcome ? this.outcomeEntry(outcome) : null,
      caseText: {
        agencyReference: b.agencyReference,
        question: b.question,
        summary: b.summary,
        advice: outcome?.advice ?? null,
      },
    };
  }

  /** The vocabularies, with the levels and pathways of the meeting's threshold document version. */
  private vocabularyOf(meeting: Meeting) {
    const version = this.referenceData.versionFor(meeting.startsAt);
    return { ...this.referenceData.data, levels: version.levels, pathways: version.pathways };
  }

  private outcomeEntry(o: Outcome): OutcomeEntry {
    return {
      levelAdvised: o.levelAdvised,
      levelLabel:
        o.levelAdvised !== null ? (this.referenceData.levelLabel(o.levelAdvised, o.thresholdVersion) ?? null) : null,
      pathway: o.pathway,
      pathwayLabel: o.pathway ? (this.referenceData.pathwayLabel(o.pathway, o.thresholdVersion) ?? o.pathway) : null,
      referralQuality:
        o.qualityTimely === null
          ? null
          : {
              timely: o.qualityTimely,
              complete: o.qualityComplete ?? false,
              appropriate: o.qualityAppropriate ?? false,
              issues: (o.qualityIssues ?? []).map((code) => ({ code, label: QUALITY_ISSUE_LABELS[code] })),
              misdirectedTo: o.misdirectedTo,
            },
      version: o.version,
      recordedAt: o.createdAt.toISOString(),
    };
  }

  private async bookingsById(m: EntityManager, ids: string[]): Promise<Map<string, Booking>> {
    if (ids.length === 0) return new Map();
    const rows = await m.find(Booking, {
      where: { id: In([...new Set(ids)]) },
      relations: { agency: true, presenter: true },
    });
    return new Map(rows.map((b) => [b.id, b]));
  }
}

/** The register grouped by agency, agencies in the order they first appear. */
function groupByAgency(attendees: Attendee[], references: Map<string, string>): AttendanceByAgency[] {
  const groups = new Map<string, AttendanceByAgency>();
  for (const a of attendees) {
    const group = groups.get(a.agencyId) ?? { agency: { id: a.agency.id, name: a.agency.name }, attendees: [] };
    groups.set(a.agencyId, group);
    group.attendees.push({
      name: a.name,
      role: a.role,
      status: a.status,
      wholeMeeting: a.bookingIds.length === 0,
      items: a.bookingIds
        .filter((id) => references.has(id))
        .map((id) => ({ bookingId: id, reference: references.get(id)! })),
      confidentialityAccepted: a.confidentialityAcceptedAt !== null,
    });
  }
  return [...groups.values()];
}

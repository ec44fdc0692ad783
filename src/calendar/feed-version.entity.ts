import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last version of a feed that was served: its ETag and the Last-Modified it was given. A
 * feed's Last-Modified is not the newest entry's change (that goes backwards when an entry
 * leaves the feed): it is the moment a new version was first seen, and never goes backwards,
 * so that If-Modified-Since clients always see a change.
 */
@Entity('feed_version')
export class FeedVersion {
  /** `user:<userId>` or `series:<seriesId>`. */
  @PrimaryColumn({ type: 'varchar', length: 80 })
  feedKey: string;

  @Column({ type: 'varchar', length: 40 })
  etag: string;

  @Column({ type: Date })
  lastModified: Date;
}

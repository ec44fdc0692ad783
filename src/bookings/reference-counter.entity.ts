import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last reference number issued in a year (TRM-<year>-<n>). */
@Entity('reference_counter')
export class ReferenceCounter {
  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  lastNumber: number;
}

// Generated from docs/spec/presence.md by `npm run catalogue-ids`; do not edit.
// A new requirement is a row of that file's catalogue table, then this command.

/** Every requirement ID of the catalogue, in catalogue order. */
export const REQUIREMENT_IDS = [
  'PRES-STATE-ENUM',
  'PRES-FFC-PUT',
  'PRES-FFC-ERRCODE',
  'PRES-FFC-SYNC',
  'PRES-FFC-SYNC-ERRCODE',
  'PRES-FFC-EMIT',
  'PRES-PUT-ROUNDTRIP',
  'PRES-PUT-OTHER',
  'PRES-IDLE-AUTO',
  'PRES-IDLE-NOT-EARLY',
  'PRES-IDLE-MANUAL',
  'PRES-IDLE-WAKE',
  'PRES-LAA-PROACTIVE',
  'PRES-LAA-ONLINE',
  'PRES-LAA-PASSIVE',
  'PRES-LAA-FRESH',
  'PRES-LAA-FORMAT',
  'PRES-CA-ONLINE-ONLY',
  'PRES-CA-SUPPRESS',
  'PRES-CA-EXPIRES',
  'PRES-CA-GET-FRESH',
  'PRES-CA-OFFERED',
  'PRES-VIS-SHARED-SYNC',
  'PRES-VIS-SHARED-GET',
  'PRES-VIS-NONSHARED-SYNC',
  'PRES-VIS-NONSHARED-GET',
  'PRES-VIS-LEAVE',
  'PRES-VIS-JOIN',
  'PRES-VIS-PUBLIC',
  'PRES-SYNC-DEFAULT',
  'PRES-SYNC-OFFLINE',
  'PRES-SYNC-UNAVAILABLE',
  'PRES-SCHEMA-EVENT',
  'PRES-SCHEMA-GET',
  'PRES-FED-SHARED',
  'PRES-FED-NONSHARED',
  'PRES-FED-NONSHARED-EDU',
  'PRES-FED-ENUM',
  'PRES-FED-SCHEMA',
  'PRES-FED-ORIGIN',
] as const;

/** A requirement ID of the catalogue: any other string fails to compile. */
export type RequirementId = (typeof REQUIREMENT_IDS)[number];

import type { components } from '../../../src/client/index.ts';

/**
 * The wire types the UI reads, taken from the typed client generated from
 * the OpenAPI document (src/client/schema.ts), so a change on the server
 * shows up here as a type error. Only the job and freelancer views are
 * reshaped for the screens (normalize.ts).
 */
type Schemas = components['schemas'];

export type PlanName = Schemas['Freelancer']['plan'];
/** A history entry: the ledger's entry, and the job of the proposal it is about. */
export type Entry = Schemas['HistoryEntry'];
export type EntryType = Entry['type'];
export type EntryPage = Schemas['EntryPage'];
export type Lot = Schemas['Lot'];
export type Balance = Schemas['BalanceView'];
export type Session = Schemas['Session'];
export type Purchase = Schemas['Purchase'];
export type PromoCode = Schemas['PromoCode'] & { redeemed?: number };
export type PromoRedemption = Schemas['PromoRedemption'];
export type Clock = Schemas['Clock'];
export type PolicyTimeline = Schemas['PolicyTimeline'];
export type PolicyEra = Schemas['Policy'];
export type Stats = Schemas['Stats'];
export type SchedulerRun = Schemas['SchedulerRun'];
export type FreelancerSummary = Schemas['FreelancerSummary'];
export type IssuedToken = Schemas['FreelancerToken'];
export type TokenInfo = Schemas['FreelancerTokenInfo'];
export type PlanPreview = Schemas['PlanPreview'];
export type BadgeState = Schemas['AvailabilityBadge'];
export type ProposalResult = Schemas['ProposalResult'];
export type ListedProposal = Schemas['ListedProposal'];
export type JobStatus = Schemas['Job']['status'];
export type CancelledJob = Schemas['CancelledJob'];
export type RankedBoost = Schemas['RankedProposal'];
export type BidRange = Schemas['BidRange'];
export type Freelancer = Schemas['Freelancer'];
export type Role = Schemas['Operator']['role'];
export type Operator = Schemas['Operator'];
export type OperatorKeyInfo = Schemas['OperatorKeyInfo'];
export type IssuedOperatorKey = Schemas['OperatorKey'];
export type AuditRow = Schemas['AuditRow'];
export type AuditPage = Schemas['AuditPage'];
export type LedgerReport = Schemas['LedgerReport'];
export type ReportLine = Schemas['ReportLine'];

export const entryTypes: readonly EntryType[] = [
  'grant',
  'debit',
  'hold',
  'hold_release',
  'hold_capture',
  'refund',
  'expiry',
  'forfeit',
  'adjustment',
];

/** A job as the screens read it: the job, its boosted ranking and (for Plus and the admin) the bid range. */
export interface Job extends Omit<Schemas['Job'], 'jobId'> {
  readonly id: string;
  readonly ranking: readonly RankedBoost[];
  readonly bidRange: BidRange | null;
}

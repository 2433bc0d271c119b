// First, before any command loads a use case: zod schemas get `.openapi()` only when created after
// @hono/zod-openapi extends zod, and the HTTP routes call it on schemas the use cases define.
import '@hono/zod-openapi';
import type { Command } from '../command.ts';
import { auditCommand } from './audit.ts';
import { backupCommand } from './backup.ts';
import { balanceCommand } from './balance.ts';
import { exportCommand } from './export.ts';
import { grantCommand } from './grant.ts';
import { historyCommand } from './history.ts';
import { migrateCommand } from './migrate.ts';
import { operatorsAddCommand, operatorsListCommand, operatorsRevokeCommand } from './operators.ts';
import {
  policyDiffCommand,
  policySchemaCommand,
  policyScheduleCommand,
  policyShowCommand,
  policyValidateCommand,
  policyWithdrawCommand,
} from './policy.ts';
import { promoCreateCommand } from './promo-create.ts';
import { reportLedgerCommand } from './report-ledger.ts';
import { restoreCommand } from './restore.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';
import { tickCommand } from './tick.ts';
import { verifyCommand } from './verify.ts';

/**
 * Every `connects` command, in the order `connects --help` lists them. A new
 * command is one file in this folder and one line here.
 */
export const commands: readonly Command[] = [
  serveCommand,
  migrateCommand,
  tickCommand,
  balanceCommand,
  historyCommand,
  grantCommand,
  promoCreateCommand,
  operatorsAddCommand,
  operatorsListCommand,
  operatorsRevokeCommand,
  auditCommand,
  policyShowCommand,
  policyValidateCommand,
  policyDiffCommand,
  policyScheduleCommand,
  policyWithdrawCommand,
  policySchemaCommand,
  exportCommand,
  reportLedgerCommand,
  verifyCommand,
  simulateCommand,
  backupCommand,
  restoreCommand,
];

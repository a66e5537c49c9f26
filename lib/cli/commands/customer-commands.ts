import type { Command } from 'commander';
import { normalizeAddress } from '../../application/ports/ticket-store.ts';
import type { SuspensionOutcome } from '../../application/suspend-customer.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { isMailableAddress } from '../../domain/mail/mailable-address.ts';
import type { Customer } from '../../domain/ticket/customer.ts';
import { type CliContext, jsonOption, printJson } from '../cli-context.ts';
import { withLocalStack } from '../local-stack-session.ts';
import { terminalLine } from '../terminal-text.ts';

/** `atende customers suspend|unsuspend ADDRESS` and `customers list [--suspended]`, on the running local stack. */
export function registerCustomerCommands(program: Command, context: CliContext): void {
  const customers = program.command('customers').description('customers in the running local stack, and suspension');

  customers
    .command('suspend')
    .description("suspend a customer's support, where the policy allows it (conduct.suspension.allowed)")
    .argument('<address>', "the customer's e-mail address")
    .addOption(jsonOption())
    .action(async (address: string, options: { json?: boolean }) => {
      const key = customerAddress(address);
      const { suspendCustomer } = await import('../../application/suspend-customer.ts');
      const outcome = await withLocalStack((dependencies) => suspendCustomer(dependencies, key));
      if (options.json) printJson(context.io, outcomeJson(key, outcome));
      else
        context.io.out(
          outcome.changed
            ? `suspended support for ${terminalLine(key)}: new mail gets the suspended-support notice, not a ticket`
            : `${terminalLine(key)} was already suspended (since ${outcome.customer?.suspendedAt ?? '-'}); nothing changed`,
        );
    });

  customers
    .command('unsuspend')
    .description("lift a customer's suspension (allowed whatever the policy says)")
    .argument('<address>', "the customer's e-mail address")
    .addOption(jsonOption())
    .action(async (address: string, options: { json?: boolean }) => {
      const key = customerAddress(address);
      const { unsuspendCustomer } = await import('../../application/suspend-customer.ts');
      const outcome = await withLocalStack((dependencies) => unsuspendCustomer(dependencies, key));
      if (options.json) printJson(context.io, outcomeJson(key, outcome));
      else
        context.io.out(
          outcome.changed
            ? `lifted the suspension of ${terminalLine(key)}`
            : `${terminalLine(key)} is not suspended; nothing changed`,
        );
    });

  customers
    .command('list')
    .description('one line per customer record (address or domain): active ones first, then suspended ones')
    .option('--suspended', 'only suspended customers')
    .addOption(jsonOption())
    .action(async (options: { suspended?: boolean; json?: boolean }) => {
      const listed = await withLocalStack(({ store }) =>
        store.listCustomers(options.suspended ? { suspended: true } : {}),
      );
      if (options.json) printJson(context.io, listed.map(customerJson));
      else if (listed.length === 0) context.io.out(options.suspended ? 'No suspended customers.' : 'No customers yet.');
      else context.io.out(renderCustomerTable(listed));
    });
}

/**
 * The customer key a command acts on. Suspension is per address: ingest looks up the sender's
 * own record, so a domain or anything that is not a mail address would suspend nobody.
 */
function customerAddress(text: string): string {
  const address = normalizeAddress(text);
  if (!isMailableAddress(address))
    throw new AtendeError('cli.invalidArgument', `"${terminalLine(text)}" is not a customer's e-mail address`);
  return address;
}

const outcomeJson = (address: string, outcome: SuspensionOutcome) => ({
  address,
  suspended: outcome.customer?.suspended ?? false,
  suspendedAt: outcome.customer?.suspendedAt ?? null,
  changed: outcome.changed,
});

const customerJson = (customer: Customer) => ({
  key: customer.key,
  suspended: customer.suspended,
  suspendedAt: customer.suspendedAt,
  plan: customer.plan,
  locale: customer.locale,
  region: customer.region,
  lastAcknowledgedAt: customer.lastAcknowledgedAt,
  updatedAt: customer.updatedAt,
});

function renderCustomerTable(customers: readonly Customer[]): string {
  const header = ['CUSTOMER', 'SUSPENDED', 'PLAN', 'LANGUAGE', 'REGION', 'UPDATED'];
  const rows = customers.map((customer) => [
    terminalLine(customer.key),
    customer.suspended ? `since ${customer.suspendedAt ?? '?'}` : '-',
    customer.plan ?? '-',
    customer.locale ?? '-',
    customer.region ?? '-',
    customer.updatedAt,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

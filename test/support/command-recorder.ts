import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface RecordedCommand {
  /** The low-level command name, e.g. `QueryCommand`, `TransactWriteItemsCommand`. */
  readonly name: string;
  /** The request as the store built it (document-client commands: before marshalling). */
  readonly input: Record<string, unknown>;
}

/**
 * Observes the commands a client sends, without changing them: a middleware at the
 * initialize step sees the low-level command's name (document-client commands included,
 * since a DynamoDBDocumentClient shares its client's middleware stack), and the request
 * still goes to DynamoDB Local.
 */
export const recordCommands = (client: DynamoDBClient, onCommand: (command: RecordedCommand) => void): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // The middleware is generic over every command's input; all DynamoDB inputs are plain objects.
      onCommand({ name: context.commandName ?? 'unknown', input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'atendeCommandRecorder' },
  );
};

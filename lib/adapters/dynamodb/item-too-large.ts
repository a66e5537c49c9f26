import { AtendeError } from '../../domain/atende-error.ts';

/**
 * DynamoDB refuses an item over 400 KB with a ValidationException (no class of its own in the
 * SDK, so it is recognised by name and text): "Item size has exceeded the maximum allowed size"
 * on a put, "Item size to update has exceeded …" on an update, "ExpressionAttributeValues contains
 * invalid value: Item size has exceeded … for key :x" for an update value over the limit by itself.
 * In a transaction the same texts come as that exception or, when an update grows a stored item
 * past the limit, as a cancellation reason with code `ValidationError` (all seen on DynamoDB Local).
 */
const ITEM_TOO_LARGE = /Item size (to update )?has exceeded the maximum allowed size/;

export const isItemTooLargeMessage = (message: string | undefined): boolean =>
  message !== undefined && ITEM_TOO_LARGE.test(message);

export const itemTooLarge = (cause: unknown, details: Record<string, unknown>): AtendeError =>
  new AtendeError('store.itemTooLarge', 'An item is larger than DynamoDB stores (400 KB); shorten what is written', {
    cause,
    details,
  });

/** The oversized-item rejection of a single write as `store.itemTooLarge`; any other error as it came. */
export const translateItemTooLarge = (error: unknown, details: Record<string, unknown>): unknown =>
  error instanceof Error && error.name === 'ValidationException' && isItemTooLargeMessage(error.message)
    ? itemTooLarge(error, details)
    : error;

import { FleetError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/**
 * Delivery could not happen (missing token, refused push, an API answering 401/403/409/422, no network). Never
 * reaches the top level: the run keeps its outcome and reports `delivery: failed` with this one line.
 */
export class DeliveryError extends FleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('delivery', message, ExitCode.GaveUp, options);
  }
}

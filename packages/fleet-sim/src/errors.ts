/** Stable error codes of @fleet-service/fleet-sim. */
export const FLEET_SIM_ERROR_CODES = Object.freeze({
  options: 'ERR_SIM_OPTIONS',
  closed: 'ERR_SIM_CLOSED',
  waitTimeout: 'ERR_SIM_WAIT_TIMEOUT',
  unknownMachine: 'ERR_SIM_UNKNOWN_MACHINE',
  unknownFault: 'ERR_SIM_UNKNOWN_FAULT',
});

/** Base class of every error the simulator throws. */
export class FleetSimError extends Error {
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FleetSimError';
    this.code = code;
  }
}

/** An option passed to `startFleetSim` (or a fault spec) is invalid. */
export class SimOptionsError extends FleetSimError {
  readonly option: string;
  constructor(option: string, message: string) {
    super(`invalid fleet-sim option ${option}: ${message}`, FLEET_SIM_ERROR_CODES.options);
    this.name = 'SimOptionsError';
    this.option = option;
  }
}

/** The simulator was used after `close()`. */
export class SimClosedError extends FleetSimError {
  constructor(operation: string) {
    super(`cannot ${operation}: the fleet simulator is closed`, FLEET_SIM_ERROR_CODES.closed);
    this.name = 'SimClosedError';
  }
}

/** `cluster.waitFor()` ran out of (simulated) time. */
export class SimWaitTimeoutError extends FleetSimError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(
      `waitFor: predicate still false after ${timeoutMs} ms of simulated time`,
      FLEET_SIM_ERROR_CODES.waitTimeout,
    );
    this.name = 'SimWaitTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** A machine id given to `killMachine`/`reviveMachine` is not part of the simulated cluster. */
export class SimUnknownMachineError extends FleetSimError {
  readonly machineID: string;
  constructor(operation: string, machineID: string) {
    super(`cannot ${operation}: no simulated machine ${machineID}`, FLEET_SIM_ERROR_CODES.unknownMachine);
    this.name = 'SimUnknownMachineError';
    this.machineID = machineID;
  }
}

/** Type guard for simulator errors, optionally of one code. */
export function isFleetSimError(error: unknown, code?: string): error is FleetSimError {
  return error instanceof FleetSimError && (code === undefined || error.code === code);
}

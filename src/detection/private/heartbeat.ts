import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../private/validation';

/** EventBridge Scheduler's rates are whole minutes; a heartbeat rarer than hourly would leave an hour unwatched. */
export function validateHeartbeatInterval(scope: IConstruct, prop: string, interval: Duration): void {
  if (Token.isUnresolved(interval.toSeconds())) return;
  const seconds = interval.toSeconds();
  if (seconds % 60 !== 0 || seconds < 60 || seconds > 3600) {
    fail(scope, prop, interval.toHumanString(), 'must be whole minutes between 1 minute and 1 hour');
  }
}

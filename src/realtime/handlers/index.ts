import type { HandlerMap } from '../event-router.ts';
import { connectionHandlers, type ConnectionHandlerDeps } from './connection.handlers.ts';
import { usersHandlers } from './users.handlers.ts';
import type { UsersService } from '../../modules/users/index.ts';

export interface HandlerDeps extends ConnectionHandlerDeps {
  users: UsersService;
  onProfileChanged: (userId: string) => void;
}

/** Every inbound event's handler, by family. `HandlerMap` makes a missing one a compile error. */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  return {
    ...connectionHandlers(deps),
    ...usersHandlers(deps),
  };
}

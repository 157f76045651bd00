export { UsersRepository, type ProfileWrite } from './users.repository.ts';
export { UsersService, type UsersEvents } from './users.service.ts';

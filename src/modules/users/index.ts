export { UsersRepository, type ProfileWrite } from './users.repository.ts';
export { UsersService, type UsersEvents, type Publisher } from './users.service.ts';

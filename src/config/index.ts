export { loadConfig, withJwtSecret, ConfigError, type Config, type RateClass, type RateRule } from './config.ts';

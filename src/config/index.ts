export { loadConfig, withJwtSecret, ConfigError, type Config, type RateClass, type RateRule } from './config.ts';
export { StartupError, redactUrl, connectFailureReason } from './startup-error.ts';

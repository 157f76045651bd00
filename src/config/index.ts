export { loadConfig, withJwtSecret, ConfigError, type Config, type RateClass, type RateRule } from './config.ts';
export { findUnknownEnv, type UnknownEnv } from './unknown-env.ts';
export { DEFAULT_DATA_DIR } from './schema.ts';

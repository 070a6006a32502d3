/** @orders-live/service-kit: configuration, logging, start and shutdown, the same in every service. */
export { ConfigError, commaList, envFields, listenConfig, listenEnv, parseEnv, type EnvReading, type ListenConfig } from './parse-env.js';
export { createLogger, type Logger } from './logger.js';
export { runService, SHUTDOWN_SIGNALS, type Runnable, type ServiceDefinition, type ServiceProcess } from './run-service.js';
